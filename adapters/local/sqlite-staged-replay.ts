// The SQLite projection store's staged replay writer: a rebuild's batches decided in memory and committed together
// with the replay's checkpoint (domain/ports/projection-store.ts StagedReplayWriter says why).

import type { Database as Db, Transaction } from 'better-sqlite3';
import { CompactAppliedRecords } from '../../domain/compact-applied-records.ts';
import { StagedReplayRefusedError } from '../../domain/errors.ts';
import type { DomainEvent, JsonObject } from '../../domain/event.ts';
import type { ApplyOutcome, StagedReplayWriter } from '../../domain/ports/projection-store.ts';
import type { Projection, RowPut } from '../../domain/projection.ts';
import { prepareBatch } from './sqlite-projection-batch.ts';
import { memos } from './sqlite-projection-store-apply.ts';
import { decideBatch, encodeApplied, insertApplied, relatedToRead, writeChanges, type EncodedApplied, type Statements } from './sqlite-projection-statements.ts';
import type { StoreLockWait } from './sqlite-projection-store-lock.ts';

const NONE_KNOWN: ReadonlySet<string> = new Set();
const NO_MEMOS: ReadonlyMap<string, string> = new Map();

/** How the writer reaches its store: the connection, its statements, its lock wait and its error mapping. */
export interface StagedReplayStore {
  readonly db: Db;
  readonly s: Statements;
  readonly lock: StoreLockWait;
  /** Maps SQLite's errors as the store's other writes do (a full disk, a busy lock). */
  readonly guard: <T>(what: string, fn: () => T) => T;
}

/**
 * Stages a replay's batches for one projection and generation and writes them in one transaction per flush.
 *
 * Why it may decide without the write lock: nothing else writes the generation while a rebuild replays it (its lease),
 * so the stored keys and memos it reads before a flush are still those at the flush. The flush proves it anyway: every
 * staged key must be inserted, or nothing is written (`StagedReplayRefusedError`).
 */
export class SqliteStagedReplay implements StagedReplayWriter {
  // Memo-less records (most events) kept as their identity alone.
  private records = new CompactAppliedRecords();
  private deltas = new Map<string, bigint>();
  private rows = new Map<string, RowPut>();
  private events = 0;
  /** Each staged batch's ids in key order: sorted runs, which the flush's sort merges instead of sorting anew. */
  private runs: (readonly string[])[] = [];
  /** Whether the generation held idempotency keys when the writer began. */
  private readonly resumed: boolean;
  private readonly write: Transaction<(applied: EncodedApplied, checkpoint: string) => void>;

  constructor(private readonly store: StagedReplayStore, private readonly projection: Projection, private readonly generation: number) {
    const { s } = store;
    const { name } = projection;
    this.resumed = store.guard('stagedReplay', () => (s.holdsData.get(name, generation, name, generation) as number) === 1);
    this.write = store.db.transaction((applied: EncodedApplied, checkpoint: string) => {
      s.addGeneration.run(name, generation); // so createGeneration never hands out a number that holds data
      const inserted = insertApplied(s, name, generation, applied, true);
      if (inserted !== this.records.size) throw new StagedReplayRefusedError(`${this.records.size - inserted} of its idempotency keys were stored meanwhile`);
      writeChanges(s, name, generation, { deltas: this.deltas, rows: this.rows }, () => new StagedReplayRefusedError('a counter would leave the 64-bit range'));
      s.setCheckpoint.run(name, generation, checkpoint);
    });
  }

  get staged(): number {
    return this.events;
  }

  async stage(events: readonly DomainEvent[]): Promise<ApplyOutcome[]> {
    if (events.length === 0) return [];
    const { projection, generation, records } = this;
    const { name } = projection;
    const { s, guard } = this.store;
    const batch = prepareBatch(projection, events);
    const ids = batch.sortedIds;
    // A generation that held keys when the writer began (resumed after a replay that applied past its checkpoint, one
    // batch at a time or by an older version) may hold any of these: all are probed. Otherwise it holds only what this
    // writer flushed, which a replay never reads again (the index names each event once): three probes, and the
    // flush's count check finds anything they miss.
    const probe = this.resumed ? ids : [ids[0]!, ids[ids.length >> 1]!, ids[ids.length - 1]!];
    let found = guard('stage', () => s.existing.all(JSON.stringify(probe), name, generation) as string[]);
    if (found.length > 0 && probe !== ids) found = guard('stage', () => s.existing.all(JSON.stringify(ids), name, generation) as string[]);
    const known = found.length === 0 ? NONE_KNOWN : new Set(found);
    const outside = relatedToRead(batch, known, records);
    const stored = outside.length === 0 ? NO_MEMOS : guard('stage', () => memos(s, name, generation, outside));
    const decided = decideBatch(projection, events, batch, known, stored, undefined, records);
    // Merged only once the whole batch is decided: a rule that throws leaves nothing of it staged.
    for (const [id, record] of decided.staged) records.set(id, record);
    for (const [key, delta] of decided.deltas) {
      const sum = this.deltas.get(key);
      this.deltas.set(key, sum === undefined ? delta : sum + delta);
    }
    for (const [key, row] of decided.rows) this.rows.set(key, row);
    this.events += events.length;
    this.runs.push(ids);
    return decided.out;
  }

  async flush(checkpoint: JsonObject): Promise<void> {
    try {
      // V8 sorts by merging the runs it finds (TimSort); ids that are not staged (duplicates, skipped) are passed over.
      // Sorted and encoded before the write lock is taken: its hold is then SQLite's work alone.
      const applied = encodeApplied(this.records, this.runs.flat().sort());
      const text = JSON.stringify(checkpoint);
      await this.store.lock.run(() => this.store.guard('apply', () => this.write.immediate(applied, text)));
    } catch (error) {
      // Refused or failed, the transaction wrote nothing; the decisions are not tried again.
      this.discard();
      throw error;
    }
    this.discard();
  }

  discard(): void {
    this.records = new CompactAppliedRecords();
    this.deltas = new Map();
    this.rows = new Map();
    this.events = 0;
    this.runs = [];
  }
}
