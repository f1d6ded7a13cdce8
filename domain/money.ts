// Money as exact integer minor units (cents, bigint): parsing and formatting of the two-decimal strings events carry.

const AMOUNT = /^(-)?(\d{1,15})\.(\d{2})$/;

/** Cents of a two-decimal amount string: `parseAmount("123.45") === 12345n`. Throws on anything else. */
export function parseAmount(text: string): bigint {
  const m = AMOUNT.exec(text);
  if (!m) throw new RangeError(`not a two-decimal amount: ${JSON.stringify(text)}`);
  const cents = BigInt(m[2]!) * 100n + BigInt(m[3]!);
  return m[1] ? -cents : cents;
}

/** True when `text` is an amount string `parseAmount` accepts. */
export function isAmount(text: string): boolean {
  return AMOUNT.test(text);
}

/** Two-decimal string of cents: `formatAmount(-5n) === "-0.05"`. */
export function formatAmount(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const units = abs / 100n;
  const rest = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${units}.${rest}`;
}
