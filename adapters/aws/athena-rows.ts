// Athena's result pages as typed rows, and eventlake's positional values as Athena execution parameters.

import type { ColumnInfo, Row } from '@aws-sdk/client-athena';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { QueryValue } from '../../domain/query-catalogue.ts';

const INTEGER = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const FLOATING = new Set(['double', 'float', 'real']);

/**
 * One cell, by its column type (and scale, for a DECIMAL). Athena returns every value as text; the rules match
 * DuckDbEventQuery's: integers and scale-0 DECIMALs are numbers (bigints beyond 2^53), other DECIMALs stay exact
 * strings, NULL (a cell without text) is null.
 */
export function typedValue(text: string | undefined, type: string | undefined, scale?: number): unknown {
  if (text === undefined) return null;
  const t = (type ?? 'varchar').toLowerCase();
  if (INTEGER.has(t) || (t === 'decimal' && scale === 0)) {
    const n = BigInt(text);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (t === 'boolean') return text === 'true';
  if (FLOATING.has(t)) return Number(text);
  return text;
}

/** Column names of a result, as Athena labels them. */
export function columnNames(info: readonly ColumnInfo[]): string[] {
  return info.map((c, i) => c.Label ?? c.Name ?? `_col${i}`);
}

/** Rows of one result page as objects; `skipHeader` drops the header row Athena puts first in a SELECT's first page. */
export function typedRows(rows: readonly Row[], info: readonly ColumnInfo[], skipHeader: boolean): Record<string, unknown>[] {
  const names = columnNames(info);
  const isHeader = (r: Row) => names.every((n, i) => r.Data?.[i]?.VarCharValue === n);
  const body = skipHeader && rows[0] && isHeader(rows[0]) ? rows.slice(1) : rows;
  return body.map((r) => Object.fromEntries(names.map((n, i) => [n, typedValue(r.Data?.[i]?.VarCharValue, info[i]?.Type, info[i]?.Scale)])));
}

/**
 * Positional values as ExecutionParameters. Athena substitutes each as a literal of the prepared statement:
 * strings must arrive quoted (with quotes doubled), numbers bare. They are never spliced into the query text.
 */
export function executionParameters(values: readonly QueryValue[]): string[] {
  return values.map((v) => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new InvalidArgumentError('params', `${v} is not a finite number`);
      return String(v);
    }
    return `'${v.replaceAll("'", "''")}'`;
  });
}
