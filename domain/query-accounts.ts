// Which columns hold an event's accounts in SQL: SourceAccount / TargetAccount, or the fields its schema declares
// (`x-eventlake-accounts`), as two account slots, the two accounts an index entry is looked up by.

import { DEFAULT_ACCOUNT_FIELDS, EVENT_TYPE_PATTERN } from './event.ts';
import { InvalidArgumentError } from './errors.ts';
import { COLUMN_NAME } from './query-columns.ts';

/** The account fields one schema declares: its type, version and fields (at most two, in slot order). */
export interface AccountDeclaration {
  readonly type: string;
  readonly version: number;
  readonly fields: readonly string[];
}

/**
 * An event's two account slots in the catalogue's SQL: expressions over one row of `events`, which the account filters
 * of the `ranged` CTE compare. Why only in its WHERE, never selected: a declared field is then read there and not
 * carried as a column of `ranged`, so one named like the SQL's own (object_key, copy_rank) cannot shadow them.
 */
export interface AccountSlots {
  /** SourceAccount / TargetAccount, or a CASE over (EventType, SchemaVersion) per slot. */
  readonly slots: readonly [string, string];
}

const NO_ACCOUNT = 'CAST(NULL AS VARCHAR)';

/**
 * The account slots of `declarations`. Without any, the slots are SourceAccount and TargetAccount (the SQL of the
 * built-in catalogue). With some, each slot is a CASE over (EventType, SchemaVersion): a declared type+version reads
 * its own fields (NULL for a slot it has no field for), every other event SourceAccount / TargetAccount.
 */
export function accountSlots(declarations: readonly AccountDeclaration[]): AccountSlots {
  return { slots: accountSlotExpressions(declarations) };
}

/**
 * The two slot expressions over one row of the events table, each column prefixed with `qualifier` (`'r.'` where
 * the row's relation is joined with another whose column names a declared field could share). Names are spliced
 * into SQL, so a type that is not snake_case or a field that is not a plain identifier is refused; a declared field
 * is double-quoted, because a plain identifier can still be an SQL keyword (`end`, `order`). Both engines match a
 * quoted name case-insensitively, as they match the unquoted ones.
 */
export function accountSlotExpressions(declarations: readonly AccountDeclaration[], qualifier = ''): [string, string] {
  const q = (column: string) => `${qualifier}${column}`;
  if (declarations.length === 0) return [q(DEFAULT_ACCOUNT_FIELDS[0]!), q(DEFAULT_ACCOUNT_FIELDS[1]!)];
  // One WHEN per distinct field list: the type+versions that share it, by type.
  const byFields = new Map<string, Map<string, number[]>>();
  for (const { type, version, fields } of declarations) {
    if (!EVENT_TYPE_PATTERN.test(type) || !Number.isSafeInteger(version)) throw new InvalidArgumentError('accounts', `${JSON.stringify(type)} v${version} is not an event type and version the registry loads`);
    const bad = fields.find((f) => !COLUMN_NAME.test(f));
    if (bad !== undefined || fields.length === 0 || fields.length > 2) {
      throw new InvalidArgumentError('accounts', `${type} v${version} declares ${JSON.stringify(fields)}: give one or two plain identifiers`);
    }
    const key = JSON.stringify(fields);
    const types = byFields.get(key) ?? new Map<string, number[]>();
    byFields.set(key, types.set(type, [...(types.get(type) ?? []), version]));
  }
  const whens = [...byFields].map(([key, types]) => {
    const fields = JSON.parse(key) as string[];
    const when = [...types].map(([type, versions]) => `(${q('EventType')} = '${type}' AND ${q('SchemaVersion')} IN (${versions.join(', ')}))`).join(' OR ');
    return { when, fields };
  });
  const slot = (k: 0 | 1): string =>
    `CASE ${whens.map(({ when, fields }) => `WHEN ${when} THEN ${fields[k] === undefined ? NO_ACCOUNT : q(`"${fields[k]}"`)} `).join('')}ELSE ${q(DEFAULT_ACCOUNT_FIELDS[k]!)} END`;
  return [slot(0), slot(1)];
}
