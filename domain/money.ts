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

/**
 * Cents of a two-decimal amount string, or undefined for anything `parseAmount` refuses. Why a number: BigInt parsing
 * is the cost of the breakdown rule on every validated event, and amounts below 10^13 units are exact in a double;
 * longer ones (14 or 15 digits before the point) still come back as a bigint.
 */
export function amountCents(text: string): number | bigint | undefined {
  const n = text.length;
  const start = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const digits = n - 3 - start;
  if (digits < 1 || digits > 15 || text.charCodeAt(n - 3) !== 46) return undefined; // '.'
  let cents = 0;
  for (let i = start; i < n; i++) {
    if (i === n - 3) continue;
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    cents = cents * 10 + d;
  }
  if (digits > 13) return parseAmount(text);
  return start === 1 ? -cents : cents;
}

/** Two-decimal string of cents: `formatAmount(-5n) === "-0.05"`. */
export function formatAmount(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const units = abs / 100n;
  const rest = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${units}.${rest}`;
}
