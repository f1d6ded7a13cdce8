// Domain rules a JSON Schema cannot express: currency breakdowns add up, transfers move money between two accounts.

import type { FieldIssue } from './errors.ts';
import type { DomainEvent } from './event.ts';
import { amountCents, formatAmount } from './money.ts';

const DENOMINATION = /^(\d{1,4})-(euro-bills|euro-coins|cents)$/;

/** Value in cents of one unit of a denomination key (`"20-euro-bills"` → 2000n), or undefined if unknown. */
export function denominationCents(key: string): bigint | undefined {
  const m = DENOMINATION.exec(key);
  if (!m) return undefined;
  const n = BigInt(m[1]!);
  return m[2] === 'cents' ? n : n * 100n;
}

/** Total in cents of a breakdown, or undefined if any key or count is unusable. */
export function breakdownTotal(breakdown: Record<string, unknown>): bigint | undefined {
  let total = 0n;
  for (const [key, count] of Object.entries(breakdown)) {
    const unit = denominationCents(key);
    if (unit === undefined || typeof count !== 'number' || !Number.isSafeInteger(count)) return undefined;
    total += unit * BigInt(count);
  }
  return total;
}

/** Cents per unit of each denomination key met so far (at most 33 330 valid keys exist), so the regex runs once per key. */
const UNIT_CENTS = new Map<string, number>();

/**
 * The same total as breakdownTotal, in a number while every product and partial sum is a safe integer (so exact):
 * the common case, without a BigInt per denomination. Beyond that it is computed again as a bigint.
 */
function breakdownCents(breakdown: Record<string, unknown>): number | bigint | undefined {
  let total = 0;
  for (const key of Object.keys(breakdown)) {
    let unit = UNIT_CENTS.get(key);
    if (unit === undefined) {
      const cents = denominationCents(key);
      if (cents === undefined) return undefined;
      unit = Number(cents);
      UNIT_CENTS.set(key, unit);
    }
    const count = breakdown[key];
    if (typeof count !== 'number' || !Number.isSafeInteger(count)) return undefined;
    const part = unit * count;
    total += part;
    if (!Number.isSafeInteger(part) || !Number.isSafeInteger(total)) return breakdownTotal(breakdown);
  }
  return total;
}

const BREAKDOWN_FIELD: Readonly<Record<string, string>> = {
  cash_deposit: 'Currency',
  verify_cash_deposit: 'VerifiedCurrency',
  cash_withdrawal: 'Currency',
};

/**
 * Issues with the rules beyond the schema, for an event that already passed its schema.
 * Returns an empty list when the event is sound.
 */
export function checkDomainRules(event: DomainEvent): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const field = BREAKDOWN_FIELD[event.EventType];
  const amount = event['Amount'];
  const cents = field && typeof amount === 'string' ? amountCents(amount) : undefined;
  if (field && cents !== undefined) {
    const breakdown = event[field];
    if (breakdown && typeof breakdown === 'object') {
      const total = breakdownCents(breakdown as Record<string, unknown>);
      // Both numbers: exact, compared as such; a bigint on either side compares as bigints.
      if (total !== undefined && (typeof total === 'number' && typeof cents === 'number' ? total !== cents : BigInt(total) !== BigInt(cents))) {
        issues.push({
          pointer: `/${field}`,
          reason: `adds up to ${formatAmount(BigInt(total))} but Amount is ${amount}`,
          expected: `denominations whose total equals Amount (${amount})`,
        });
      }
    }
  }
  if (event.EventType === 'inter_account_transfer' && event['SourceAccount'] === event['TargetAccount']) {
    issues.push({
      pointer: '/TargetAccount',
      reason: 'is the same account as SourceAccount',
      expected: 'an account different from SourceAccount',
    });
  }
  return issues;
}
