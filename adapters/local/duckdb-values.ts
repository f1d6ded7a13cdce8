// DuckDB values as plain JavaScript: the row shape every EventQuery adapter returns.

import type { DuckDBValue } from '@duckdb/node-api';
import { DuckDBArrayValue, DuckDBDecimalValue, DuckDBListValue, DuckDBMapValue, DuckDBStructValue } from '@duckdb/node-api';

/**
 * Integers are numbers, or bigints beyond 2^53; DECIMALs are exact strings (`"123.45"`); maps and structs are
 * objects, lists arrays; anything else (dates, intervals…) its DuckDB text. Athena's adapter follows the same rules.
 */
export function plainValue(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  if (value instanceof DuckDBDecimalValue) return value.toString();
  if (value instanceof DuckDBMapValue) return Object.fromEntries(value.entries.map((e) => [String(plainValue(e.key)), plainValue(e.value)]));
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(plainValue);
  if (value instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, plainValue(v)]));
  return String(value);
}

/** A row object of plain values. */
export function plainRow(row: Readonly<Record<string, DuckDBValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = plainValue(v);
  return out;
}
