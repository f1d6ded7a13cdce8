// The columns of the `events` table SQL engines see: every flat field of the built-in event types, plus partitions.

import { InvalidArgumentError } from './errors.ts';

/** Column types, in Hive/Glue spelling; each engine maps them to its own. */
export type ColumnType = 'string' | 'int' | 'bigint' | 'boolean' | 'map<string,int>' | 'map<string,bigint>';

export interface EventColumn {
  /** The event field's name, exactly as in the JSON (`EventTimeStamp`). */
  readonly name: string;
  readonly type: ColumnType;
  readonly comment?: string;
}

/**
 * The union of the fields of all built-in event types. A field an event lacks reads as NULL, so one table
 * holds every type. Amounts stay strings: SQL casts them to DECIMAL(18,2), never to a floating type.
 */
export const EVENT_COLUMNS: readonly EventColumn[] = [
  { name: 'EventType', type: 'string', comment: 'snake_case event type' },
  { name: 'SchemaVersion', type: 'int' },
  { name: 'RequestId', type: 'string' },
  { name: 'EventTimeStamp', type: 'bigint', comment: 'epoch seconds (UTC)' },
  { name: 'TargetAccount', type: 'string' },
  { name: 'SourceAccount', type: 'string' },
  { name: 'Amount', type: 'string', comment: 'two-decimal string; CAST(Amount AS DECIMAL(18,2))' },
  { name: 'LocationType', type: 'string' },
  { name: 'Reference', type: 'string' },
  { name: 'Verified', type: 'boolean' },
  { name: 'Currency', type: 'map<string,int>', comment: 'denomination -> count' },
  { name: 'VerifiedCurrency', type: 'map<string,int>', comment: 'denomination -> count' },
  { name: 'VerifiedByEmployeeId', type: 'string' },
  { name: 'FinalFinding', type: 'string' },
  { name: 'SourceInstitution', type: 'string' },
  { name: 'Channel', type: 'string', comment: 'cash_withdrawal v2' },
];

/** Hive partition columns of the log, outermost first. Strings (`'2024'`, `'03'`), as in the object keys. */
export const PARTITION_COLUMNS = ['year', 'month', 'day', 'hour'] as const;

/** Column names are spliced into engine DDL (they cannot be bound), so only plain identifiers are accepted. */
export const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The built-in columns plus `extra` (user event types' fields); a name twice keeps the first. */
export function eventColumns(extra: readonly EventColumn[] = []): EventColumn[] {
  const out: EventColumn[] = [];
  for (const c of [...EVENT_COLUMNS, ...extra]) {
    if (!COLUMN_NAME.test(c.name)) throw new InvalidArgumentError('columns', `${JSON.stringify(c.name)} is not a plain identifier`);
    if (!out.some((o) => o.name.toLowerCase() === c.name.toLowerCase())) out.push(c);
  }
  return out;
}
