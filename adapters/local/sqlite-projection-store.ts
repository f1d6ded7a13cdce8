// SQLite projection store: counters, rows and idempotency keys of every projection and generation (projections.db).

import type { Database as Db } from 'better-sqlite3';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { DomainEvent, JsonObject } from '../../domain/event.ts';
import type { ApplyOptions, ApplyOutcome, ForeignFold, ProjectionStore, StagedReplayWriter, StoredRow } from '../../domain/ports/projection-store.ts';
import type { AppliedRecord, Projection, ProjectionState } from '../../domain/projection.ts';
import { openSqlite, retryable } from './sqlite-checkpoint-store.ts';
import { SqliteForeignFolds } from './sqlite-foreign-folds.ts';
import { exportGenerationFile, importGenerationFile } from './sqlite-generation-files.ts';
import { prepareBatch } from './sqlite-projection-batch.ts';
import { applyPasses, NOT_FRESH } from './sqlite-projection-store-apply.ts';
import { SCHEMA, statements, type Statements } from './sqlite-projection-statements.ts';
import { SqliteStagedReplay } from './sqlite-staged-replay.ts';
import { StoreLockWait, type StoreLockOptions } from './sqlite-projection-store-lock.ts';
import { countersOf, wholeCents } from './sqlite-counter-values.ts';
import { projectionNameCheck } from '../../projections/known-projection-names.ts';

/** Idempotency records per page when a generation's records are read back (verification, snapshots). */
const APPLIED_PAGE = 10_000;

/** A full or failing disk under `file` (projections.db) becomes StorageFullError naming it; a busy lock TransientError. */
const guard = <T>(file: string, what: string, fn: () => T): T => retryable(`projection store: ${what}`, fn, file);

/**
 * Every projection in one SQLite file (WAL). `apply` runs one transaction per call: per event the idempotency row,
 * the related records it read and its changes commit together, with exactly `applyToState`'s semantics.
 * Replays should pass large batches (10k+ events): each commit rewrites every B-tree page the batch touched.
 *
 * @example
 * const store = new SqliteProjectionStore(dataDirLayout(dir).projectionsDb);
 * await store.apply(balancesProjection, await store.liveGeneration('balances'), events);
 */
export class SqliteProjectionStore implements ProjectionStore {
  private readonly db: Db;
  private readonly s: Statements;
  private readonly passes: ReturnType<typeof applyPasses>;
  private readonly folds: SqliteForeignFolds;
  private readonly lock: StoreLockWait;
  private readonly known: (name: string) => string;

  /**
   * `synchronous: 'NORMAL'` may lose the last applies on power loss (the WAL stays consistent); default `FULL`.
   * `lockWaitMs` and `signal`: how long applies wait for another process's write lock, in short steps with the event
   * loop free, and what ends the wait at once (StoreLockWait). `projections`: the lake's; every method refuses another
   * name (`InvalidArgumentError` on `projection`, as DynamoDbProjectionStore) instead of reading it as empty (default: any).
   */
  constructor(readonly file: string, options: { readonly synchronous?: 'FULL' | 'NORMAL'; readonly projections?: readonly string[] } & StoreLockOptions = {}) {
    // A bigger page cache and fewer WAL checkpoints (the WAL is truncated back after each) cut the write
    // amplification of large batches of random idempotency keys.
    this.db = openSqlite(file, [`synchronous = ${options.synchronous ?? 'FULL'}`, 'cache_size = -65536', 'wal_autocheckpoint = 10000', 'journal_size_limit = 8388608']);
    this.db.exec(SCHEMA);
    this.s = statements(this.db);
    this.folds = new SqliteForeignFolds(this.db);
    this.passes = applyPasses(this.db, this.s);
    this.lock = new StoreLockWait(this.db, options);
    this.known = projectionNameCheck(options.projections);
  }

  /** @throws CounterRangeError naming the first event whose change takes a counter beyond 64 bits: nothing of the batch applied. */
  async apply(projection: Projection, generation: number, events: readonly DomainEvent[], options: ApplyOptions = {}): Promise<ApplyOutcome[]> {
    this.known(projection.name);
    if (events.length === 0) return [];
    const batch = prepareBatch(projection, events);
    const replay = options.replay === true;
    return this.lock.run(() => guard(this.file, 'apply', () => {
      // Optimistic first, the careful pass when a key was stored (sqlite-projection-store-apply.ts says why).
      try {
        return this.passes.fresh.immediate(projection, generation, events, batch, replay);
      } catch (error) {
        if (error !== NOT_FRESH) throw error;
      }
      return this.passes.careful.immediate(projection, generation, events, batch, replay);
    }));
  }

  /**
   * A writer that commits a replay's batches together with its checkpoint (StagedReplayWriter), for a generation
   * nothing else writes meanwhile. Its flushes wait for another process's lock as `apply` does.
   */
  stagedReplay(projection: Projection, generation: number): StagedReplayWriter {
    this.known(projection.name);
    return new SqliteStagedReplay({ db: this.db, s: this.s, lock: this.lock, guard: (what, fn) => guard(this.file, what, fn) }, projection, generation);
  }

  async counter(name: string, generation: number, key: string): Promise<bigint | undefined> {
    const value = this.s.counter.get(this.known(name), generation, key);
    return value === undefined ? undefined : wholeCents(name, generation, key, value);
  }

  async counters(name: string, generation: number): Promise<Map<string, bigint>> {
    return countersOf(name, generation, this.s.counters.all(this.known(name), generation) as [string, unknown][]);
  }

  async rows(name: string, generation: number, partition: string): Promise<StoredRow[]> {
    const raw = this.s.rowsOf.all(this.known(name), generation, partition) as [string, string, string][];
    return raw.map(([key, part, value]) => ({ key, partition: part, value: JSON.parse(value) as JsonObject }));
  }

  async readState(name: string, generation: number, options: { readonly applied?: boolean } = {}): Promise<ProjectionState> {
    // Rows and idempotency records are streamed into their maps: a rebuilt generation holds one record per event,
    // and materializing them all as row arrays first would double the peak memory of a verification.
    return this.db.transaction(() => {
      const rows = new Map<string, { partition: string; value: JsonObject }>();
      const counters = this.visitState(name, generation, (key, row) => rows.set(key, row));
      const applied = new Map<string, AppliedRecord>();
      if (options.applied !== false) this.eachApplied(name, generation, (id, memo) => applied.set(id, { id, memo }));
      return { counters, rows, applied };
    })();
  }

  async readStateStreamed(name: string, generation: number, visitRow: (key: string, row: { partition: string; value: JsonObject }) => void): Promise<Map<string, bigint>> {
    return this.db.transaction(() => this.visitState(name, generation, visitRow))();
  }

  /** The counters of a generation, each of its rows visited; inside a caller's transaction, so both are one snapshot. */
  private visitState(name: string, generation: number, visitRow: (key: string, row: { partition: string; value: JsonObject }) => void): Map<string, bigint> {
    for (const [key, partition, value] of this.s.allRows.iterate(this.known(name), generation) as IterableIterator<[string, string, string]>) {
      visitRow(key, { partition, value: JSON.parse(value) as JsonObject });
    }
    return countersOf(name, generation, this.s.counters.all(name, generation) as [string, unknown][]);
  }

  async forEachApplied(name: string, generation: number, visit: (id: string, memo: JsonObject | null) => void): Promise<void> {
    this.db.transaction(() => this.eachApplied(this.known(name), generation, visit))();
  }

  private eachApplied(name: string, generation: number, visit: (id: string, memo: JsonObject | null) => void): void {
    for (let after = '', page: [string, string | null][]; (page = this.s.appliedPage.all(name, generation, after, APPLIED_PAGE) as [string, string | null][]).length > 0;) {
      for (const [id, memo] of page) visit(id, memo === null ? null : (JSON.parse(memo) as JsonObject | null));
      after = page[page.length - 1]![0];
    }
  }

  async appliedRecord(name: string, generation: number, id: string): Promise<{ replay: boolean } | undefined> {
    const replay = this.s.replay.get(this.known(name), generation, id) as number | undefined;
    return replay === undefined ? undefined : { replay: replay === 1 };
  }

  async liveGeneration(name: string): Promise<number> {
    return (this.s.live.get(this.known(name)) as number | undefined) ?? 1;
  }

  async listGenerations(name: string): Promise<number[]> {
    // Generation 1 exists before anything is written to it (a projection never rebuilt has no row).
    const known = this.s.generationsOf.all(this.known(name)) as number[];
    return [...new Set([...known, await this.liveGeneration(name)])].sort((a, b) => a - b);
  }

  async createGeneration(name: string): Promise<number> {
    this.known(name);
    return guard(this.file, 'createGeneration', () => this.db.transaction(() => {
      const next = Math.max((this.s.maxGeneration.get({ name }) as number | null) ?? 1, 1) + 1;
      this.s.addGeneration.run(name, next);
      return next;
    }).immediate());
  }

  /** Throws `InvalidArgumentError` for a generation not created (or dropped); 1 always exists. */
  async promote(name: string, generation: number): Promise<void> {
    this.known(name);
    if (generation !== 1 && this.s.known.get(name, generation) === undefined) {
      throw new InvalidArgumentError('generation', `projection ${name} has no generation ${generation}: create it with createGeneration first`);
    }
    guard(this.file, 'promote', () => this.db.transaction(() => {
      this.s.addGeneration.run(name, generation);
      this.s.setLive.run(generation, name);
    }).immediate());
  }

  /** Deletes the generation and its data. Throws `InvalidArgumentError` if it is live. */
  async dropGeneration(name: string, generation: number): Promise<void> {
    if (generation === (await this.liveGeneration(name))) {
      throw new InvalidArgumentError('generation', `generation ${generation} of ${name} is live: promote another one before dropping it`);
    }
    guard(this.file, 'dropGeneration', () => this.db.transaction(() => {
      for (const drop of [...this.s.drop, this.folds.drop]) drop.run(name, generation);
      this.s.noteDropped.run(name, generation);
    }).immediate());
  }

  async noteForeignFold(name: string, generation: number, fold: ForeignFold): Promise<void> {
    guard(this.file, 'noteForeignFold', () => this.folds.note(this.known(name), generation, fold));
  }

  async foreignFold(name: string, generation: number): Promise<ForeignFold | undefined> {
    return this.folds.read(this.known(name), generation);
  }

  async getCheckpoint(name: string, generation: number): Promise<JsonObject | undefined> {
    const raw = this.s.getCheckpoint.get(this.known(name), generation) as string | undefined;
    return raw === undefined ? undefined : (JSON.parse(raw) as JsonObject);
  }

  async setCheckpoint(name: string, generation: number, checkpoint: JsonObject): Promise<void> {
    guard(this.file, 'setCheckpoint', () => this.s.setCheckpoint.run(this.known(name), generation, JSON.stringify(checkpoint)));
  }

  /**
   * Write a consistent copy of one generation (counters, rows, idempotency records with their replay flags, and its
   * record of folds with other rules) into a new SQLite file, read in one transaction so concurrent applies are wholly
   * in it or not at all. The local snapshot store uses it; `importGeneration` reads the file back (the record too).
   *
   * @param file - path of the new file (created with mode 0600).
   * @throws InvalidArgumentError when `file` already exists.
   */
  async exportGeneration(name: string, generation: number, file: string): Promise<void> {
    exportGenerationFile(this.db, this.known(name), generation, file);
  }

  /**
   * Fill an empty generation from a file written by `exportGeneration` (of any projection name and generation) in
   * one transaction, and register the generation (not live) so it can be promoted.
   *
   * @throws InvalidArgumentError when the file does not exist or the generation already holds data.
   */
  async importGeneration(file: string, name: string, generation: number): Promise<void> {
    importGenerationFile(this.db, this.s, file, this.known(name), generation);
  }

  close(): void {
    this.db.close();
  }
}
