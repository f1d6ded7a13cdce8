// The values a new event may give its account fields (those its schema declares with `x-eventlake-accounts`, else
// SourceAccount and TargetAccount): what the index can key and GET /balances/ACCOUNT can name, so that no account gets
// a balance nobody can ask for.

import { DEFAULT_ACCOUNT_FIELDS, keyable, MAX_ACCOUNT_BYTES } from '../domain/event.ts';
import type { FieldIssue } from '../domain/errors.ts';
import { ptr } from './breaking-changes.ts';

const EXPECTED = `an account of 1 to ${MAX_ACCOUNT_BYTES} UTF-8 bytes`;
/** Why SourceAccount/TargetAccount of a type that declares no accounts are held to it, and the other fix there is. */
const UNDECLARED = `${EXPECTED}, or no such field (SourceAccount and TargetAccount are the accounts the index keys of a type whose schema declares none with x-eventlake-accounts; declare its own to change that)`;

/**
 * One issue per account field of `record` whose string value is empty or over MAX_ACCOUNT_BYTES UTF-8 bytes; empty
 * when every one is fine (a field the event lacks, or that is no string, is the schema's to judge). `fields`: the
 * schema's declared account fields, or undefined when it declares none: then SourceAccount and TargetAccount, which
 * the index keys for such a type. Why refuse them at validation: the index skips both (no lookup can key them), yet a
 * balances rule moved a balance under such an account, listed by GET /balances and unreachable by GET
 * /balances/ACCOUNT (400 for '', 414 over the limit). For new events only: a stored one is read as it was accepted,
 * or replay of a lake holding one would block.
 *
 * @example
 * const issues = accountValueIssues(record, entry.accountFields); // [{ pointer: '/CardAccount', reason: 'is empty, …', … }]
 */
export function accountValueIssues(record: Record<string, unknown>, fields: readonly string[] | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const [kind, expected] = fields ? ['a declared', EXPECTED] : ['an', UNDECLARED];
  for (const field of fields ?? DEFAULT_ACCOUNT_FIELDS) {
    const value = Object.hasOwn(record, field) ? record[field] : undefined;
    if (typeof value !== 'string') continue;
    if (value === '') issues.push({ pointer: ptr(field), reason: `is empty, but it is ${kind} account field`, expected });
    // The index's own rule (accountsOf skips what it cannot key), so that what is refused here is what it skips.
    else if (!keyable(value)) {
      issues.push({ pointer: ptr(field), reason: `is ${Buffer.byteLength(value)} UTF-8 bytes, longer than an account can be (${MAX_ACCOUNT_BYTES})`, expected });
    }
  }
  return issues;
}

/**
 * `schemaIssues` and the account issues of `record` (accountValueIssues) at fields they do not already name: a
 * built-in schema's pattern refuses an empty TargetAccount too, and one field is named once. `schemaIssues` itself
 * when there are none (the common case, nothing allocated beyond the check).
 */
export function withAccountIssues(record: Record<string, unknown>, fields: readonly string[] | undefined, schemaIssues: FieldIssue[]): FieldIssue[] {
  return withUnnamed(schemaIssues, accountValueIssues(record, fields));
}

/** `issues` and those of `found` at fields `issues` does not name; `issues` itself when that adds none. */
export function withUnnamed(issues: FieldIssue[], found: readonly FieldIssue[]): FieldIssue[] {
  const own = found.length === 0 ? found : found.filter((issue) => !issues.some((i) => i.pointer === issue.pointer));
  return own.length === 0 ? issues : [...issues, ...own];
}
