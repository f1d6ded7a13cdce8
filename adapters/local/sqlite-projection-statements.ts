// SQL of the SQLite projection store: schema, prepared statements, and the batch encodings they take.

import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import type { JsonObject } from '../../domain/event.ts';
import type { AppliedRecord } from '../../domain/projection.ts';
import { INT64_MAX, INT64_MIN } from './sqlite-counter-range.ts';
import type { DecidedBatch } from './sqlite-projection-store-decide.ts';

// Deciding a batch lives beside (sqlite-projection-store-decide.ts); importers of the store's SQL find it here too.
export { decideBatch, recordsOf, relatedToRead, type DecidedBatch, type PreparedBatch } from './sqlite-projection-store-decide.ts';

const SCOPE = 'name TEXT NOT NULL, generation INTEGER NOT NULL';
const OUT_OF_RANGE = 'eventlake: counter out of 64-bit range';
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS counters (${SCOPE}, key TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (name, generation, key)) WITHOUT ROWID;
-- SQLite turns an INTEGER sum past 64 bits into an inexact REAL: refused instead (the apply then names the event).
-- The message is a literal: older sqlite3 shells cannot parse a schema whose RAISE takes an expression.
CREATE TRIGGER IF NOT EXISTS counters_stay_exact BEFORE UPDATE OF value ON counters WHEN typeof(NEW.value) <> 'integer'
  BEGIN SELECT RAISE(ABORT, '${OUT_OF_RANGE}'); END;
CREATE TABLE IF NOT EXISTS rows (${SCOPE}, key TEXT NOT NULL, partition TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (name, generation, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rows_by_partition ON rows (name, generation, partition, key);
CREATE TABLE IF NOT EXISTS applied (${SCOPE}, event_id TEXT NOT NULL, memo TEXT, replay INTEGER NOT NULL, applied_at INTEGER NOT NULL,
  PRIMARY KEY (name, generation, event_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS generations (${SCOPE}, live INTEGER NOT NULL, PRIMARY KEY (name, generation));
CREATE TABLE IF NOT EXISTS checkpoints (${SCOPE}, value TEXT NOT NULL, PRIMARY KEY (name, generation));
-- The highest generation ever dropped, so its number is never handed out again (a stale checkpoint, pointer or
-- verification naming it would otherwise name the new generation).
CREATE TABLE IF NOT EXISTS dropped_generations (name TEXT PRIMARY KEY, highest INTEGER NOT NULL) WITHOUT ROWID;`;

/**
 * What `exportGeneration` copies: each table with its columns after (name, generation). The record of folds with other
 * rules (sqlite-foreign-folds.ts) goes too: a generation restored from the snapshot holds their state, so their flag.
 */
export const EXPORTED = [
  ['counters', 'key, value'], ['rows', 'key, partition, value'], ['applied', 'event_id, memo, replay, applied_at'],
  ['foreign_folds', 'rules, first_at, events'],
] as const;

/** Exported tables a snapshot taken before them lacks: such a snapshot imports without them (it held no such record). */
export const EXPORTED_SINCE: ReadonlySet<string> = new Set(['foreign_folds']);

/** Every statement of the store, prepared once per connection. */
export function statements(db: Db) {
  const p = (sql: string): Statement => db.prepare(sql);
  const of = 'WHERE name = ? AND generation = ?';
  return {
    // Batch writes take their rows as one JSON array (json_each): one call per batch instead of one per row.
    // DO NOTHING, and the caller compares the rows inserted with the keys it sent: a stored key is detected, not failed.
    // Each element is [id, memo object]: `-> 1` is the memo's JSON text, so JS encodes each memo once, inside the array.
    insertApplied: p('INSERT INTO applied SELECT ?, ?, j.value ->> 0, j.value -> 1, ?, ? FROM json_each(?) AS j WHERE true ON CONFLICT DO NOTHING'),
    // Most events leave no memo: their ids go as a flat array of strings, which SQLite need not parse per element.
    insertAppliedIds: p('INSERT INTO applied SELECT ?, ?, j.value, NULL, ?, ? FROM json_each(?) AS j WHERE true ON CONFLICT DO NOTHING'),
    // Probes each id of the (sorted) array in turn; `IN (SELECT …)` first copied the array into a temporary index.
    existing: p('SELECT j.value FROM json_each(?) AS j WHERE EXISTS (SELECT 1 FROM applied WHERE name = ? AND generation = ? AND event_id = j.value)').pluck(),
    // CROSS JOIN keeps json_each outer: one primary-key probe per (sorted, distinct) id, no temporary index.
    memos: p(`SELECT a.event_id, ifnull(a.memo, 'null') FROM json_each(?) AS j CROSS JOIN applied AS a
      ON a.name = ? AND a.generation = ? AND a.event_id = j.value`).raw(),
    replay: p(`SELECT replay FROM applied ${of} AND event_id = ?`).pluck(),
    addCounters: p(`INSERT INTO counters SELECT ?, ?, j.value ->> 0, j.value ->> 1 FROM json_each(?) AS j WHERE true
      ON CONFLICT DO UPDATE SET value = value + excluded.value`),
    putRows: p('INSERT OR REPLACE INTO rows SELECT ?, ?, j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(?) AS j'),
    counter: p(`SELECT value FROM counters ${of} AND key = ?`).pluck().safeIntegers(true),
    counters: p(`SELECT key, value FROM counters ${of}`).raw().safeIntegers(true),
    // INDEXED BY: without it SQLite answered ORDER BY key from the primary key, reading every row of the generation to
    // keep one partition's (an account's statement took 0.35-0.7 s at 1M rows, 3 ms through the index).
    rowsOf: p(`SELECT key, partition, value FROM rows INDEXED BY rows_by_partition ${of} AND partition = ? ORDER BY key`).raw(),
    allRows: p(`SELECT key, partition, value FROM rows ${of}`).raw(),
    // Pages in key order (keyset): all() per page costs about half of iterate()'s per-row round trips, and a page
    // keeps the memory of a million-record read flat.
    appliedPage: p(`SELECT event_id, memo FROM applied ${of} AND event_id > ? ORDER BY event_id LIMIT ?`).raw(),
    live: p('SELECT generation FROM generations WHERE name = ? AND live = 1').pluck(),
    known: p(`SELECT 1 FROM generations ${of}`).pluck(),
    maxGeneration: p(`SELECT max(g) FROM (SELECT max(generation) AS g FROM generations WHERE name = @name
      UNION ALL SELECT highest FROM dropped_generations WHERE name = @name)`).pluck(),
    noteDropped: p('INSERT INTO dropped_generations VALUES (?, ?) ON CONFLICT DO UPDATE SET highest = max(highest, excluded.highest)'),
    generationsOf: p('SELECT generation FROM generations WHERE name = ? ORDER BY generation').pluck(),
    addGeneration: p('INSERT INTO generations VALUES (?, ?, 0) ON CONFLICT DO NOTHING'),
    setLive: p('UPDATE generations SET live = (generation = ?) WHERE name = ?'),
    holdsData: p(`SELECT EXISTS (SELECT 1 FROM applied ${of}) OR EXISTS (SELECT 1 FROM counters ${of})`).pluck(),
    getCheckpoint: p(`SELECT value FROM checkpoints ${of}`).pluck(),
    setCheckpoint: p('INSERT INTO checkpoints VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value'),
    drop: ['counters', 'rows', 'applied', 'checkpoints', 'generations'].map((t) => p(`DELETE FROM ${t} ${of}`)),
  };
}

export type Statements = ReturnType<typeof statements>;

/** What one `apply` transaction writes after deciding its events. */
export interface StagedBatch extends Omit<DecidedBatch, 'out'> {
  /** The batch's event ids in key order (duplicates adjacent); the applied ones are written in this order. */
  readonly sortedIds: readonly string[];
  readonly replay: boolean;
}

/**
 * The error `writeChanges` throws when a counter would leave the 64-bit range: the caller knows the batch's events and
 * finds the one at fault (sqlite-counter-range.ts); the summed deltas name none.
 */
export type OutOfRange = () => Error;

/**
 * Write a decided batch: idempotency records in key order (each B-tree page touched once), summed counter deltas
 * and the last put of each row, one statement each. The caller has probed the keys: a stored one is a broken invariant.
 */
export function writeBatch(s: Statements, name: string, generation: number, batch: StagedBatch, outOfRange: OutOfRange): void {
  const inserted = writeApplied(s, name, generation, batch.staged, batch.sortedIds, batch.replay);
  if (inserted !== batch.staged.size) throw new Error(`projection store: ${batch.staged.size - inserted} idempotency keys of a probed batch were already stored`);
  writeChanges(s, name, generation, batch, outOfRange);
}

/** Insert the staged idempotency records in key order; returns how many were inserted (a stored key is left as is). */
export function writeApplied(s: Statements, name: string, generation: number, staged: ReadonlyMap<string, AppliedRecord>, sortedIds: readonly string[], replay: boolean): number {
  return insertApplied(s, name, generation, encodeApplied(staged, sortedIds), replay);
}

/** Idempotency records as `insertApplied` takes them: JSON arrays of the memo-less ids and of [id, memo], in key order. */
export interface EncodedApplied {
  readonly ids: string | undefined;
  readonly withMemo: string | undefined;
}

/**
 * The staged records of `sortedIds` (ids not staged, and repeats, are passed over), encoded. Apart from the insert so
 * a caller can encode before it takes the write lock: at 256k records, with the sort before it, ≈ 0.7 s of JS.
 */
export function encodeApplied(staged: ReadonlyMap<string, AppliedRecord>, sortedIds: readonly string[]): EncodedApplied {
  if (staged.size === 0) return { ids: undefined, withMemo: undefined };
  const withMemo: [string, JsonObject][] = [];
  const withoutMemo: string[] = [];
  let previous: string | undefined;
  for (let i = 0; i < sortedIds.length; i++) {
    const id = sortedIds[i]!;
    if (id === previous) continue;
    previous = id;
    const record = staged.get(id);
    if (!record) continue;
    if (record.memo === null) withoutMemo.push(id);
    else withMemo.push([id, record.memo]);
  }
  return { ids: withoutMemo.length > 0 ? JSON.stringify(withoutMemo) : undefined, withMemo: withMemo.length > 0 ? JSON.stringify(withMemo) : undefined };
}

/** Insert encoded idempotency records; returns how many were inserted (a stored key is left as is). */
export function insertApplied(s: Statements, name: string, generation: number, encoded: EncodedApplied, replay: boolean): number {
  const [flag, at] = [replay ? 1 : 0, Date.now()];
  let inserted = 0;
  if (encoded.ids !== undefined) inserted += s.insertAppliedIds.run(name, generation, flag, at, encoded.ids).changes;
  if (encoded.withMemo !== undefined) inserted += s.insertApplied.run(name, generation, flag, at, encoded.withMemo).changes;
  return inserted;
}

/**
 * Add the summed counter deltas and put the rows of a decided batch.
 *
 * @throws `outOfRange()` (a CounterRangeError naming the event) when a delta or a sum leaves SQLite's 64-bit range;
 *   the caller's transaction then writes nothing: a reference fold (bigint) and DynamoDB hold such a value, SQLite cannot.
 */
export function writeChanges(s: Statements, name: string, generation: number, batch: Pick<DecidedBatch, 'deltas' | 'rows'>, outOfRange: OutOfRange): void {
  if (batch.deltas.size > 0) {
    const parts: string[] = new Array<string>(batch.deltas.size);
    let i = 0;
    for (const [key, delta] of batch.deltas) {
      if (delta < INT64_MIN || delta > INT64_MAX) throw outOfRange();
      parts[i++] = `[${JSON.stringify(key)},${delta}]`;
    }
    try {
      s.addCounters.run(name, generation, `[${parts.join(',')}]`);
    } catch (error) {
      if (!(error instanceof Database.SqliteError && error.message === OUT_OF_RANGE)) throw error;
      // The statement was undone: the stored values are those before it, so the event that overflows can be found.
      throw outOfRange();
    }
  }
  if (batch.rows.size > 0) {
    s.putRows.run(name, generation, JSON.stringify([...batch.rows.values()].map((r) => [r.key, r.partition, JSON.stringify(r.value)])));
  }
}
