// The values a new event may give its declared account fields (`x-eventlake-accounts`): what the index can key and
// GET /balances/ACCOUNT can name, so that no account gets a balance nobody can ask for.

import { keyable, MAX_ACCOUNT_BYTES } from '../domain/event.ts';
import type { FieldIssue } from '../domain/errors.ts';
import { ptr } from './breaking-changes.ts';

const EXPECTED = `an account of 1 to ${MAX_ACCOUNT_BYTES} UTF-8 bytes`;

/**
 * One issue per declared account field of `record` whose string value is empty or over MAX_ACCOUNT_BYTES UTF-8 bytes;
 * empty when every one is fine (a field the event lacks, or that is no string, is the schema's to judge). Why refuse
 * them at validation: the index skips both (no lookup can key them), yet a balances rule moved a balance under such an
 * account, listed by GET /balances and unreachable by GET /balances/ACCOUNT (400 for '', 414 over the limit).
 * For new events only: a stored one is read as it was accepted, or replay of a lake holding one would block.
 *
 * @example
 * const issues = accountValueIssues(record, entry.accountFields ?? []); // [{ pointer: '/CardAccount', reason: 'is empty', … }]
 */
export function accountValueIssues(record: Record<string, unknown>, fields: readonly string[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of fields) {
    const value = Object.hasOwn(record, field) ? record[field] : undefined;
    if (typeof value !== 'string') continue;
    if (value === '') issues.push({ pointer: ptr(field), reason: 'is empty, but it is a declared account field', expected: EXPECTED });
    // The index's own rule (accountsOf skips what it cannot key), so that what is refused here is what it skips.
    else if (!keyable(value)) {
      issues.push({ pointer: ptr(field), reason: `is ${Buffer.byteLength(value)} UTF-8 bytes, longer than an account can be (${MAX_ACCOUNT_BYTES})`, expected: EXPECTED });
    }
  }
  return issues;
}
