// Data dirs for the index repair's tests: every kind of object (archived, restored, hot segment, hot batch objects),
// projections dispatched, a snapshot taken; and the ways an operator loses index.db.

import { rmSync, writeFileSync } from 'node:fs';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { partitionPrefix } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import { compactHour } from '../../projections/compactor.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { withDb } from './check-data-dir.ts';
import { tempDir } from './tmp.ts';

const START = Date.UTC(2024, 0, 1) / 1000;
const DAY = 86_400;

/** An index row as the repair must give it back (everything but the position). */
export interface RowFacts {
  id: string; type: string; timestamp: number; accounts: string; object_key: string | null; offset: number | null;
  length: number | null; size: number; storage_class: string; restore: string;
}

/** What a data dir held before its index was lost. */
export interface Before {
  readonly dir: string;
  readonly rows: RowFacts[];
  readonly balances: Map<string, string>;
  readonly dispatched: number;
}

/** Index rows by id (positions left out: the repair may change them). */
export function indexRows(dir: string): RowFacts[] {
  return withDb(dataDirLayout(dir).indexDb, (db) => db.prepare(`SELECT id, type, timestamp, accounts, object_key, offset, length, size,
    storage_class, restore FROM events ORDER BY id`).all() as RowFacts[]);
}

/** Index ids in position order. */
export function idsByPosition(dir: string): string[] {
  return withDb(dataDirLayout(dir).indexDb, (db) => db.prepare('SELECT id FROM events ORDER BY position').pluck().all() as string[]);
}

/**
 * Through openLocalEventlake: two days archived in GLACIER by the lifecycle (compacted into segments), one of their
 * segments restored; a day of hot batch objects, its first hour compacted into a hot segment; later events in batch
 * objects; everything dispatched; a snapshot of balances taken. Closed when returned.
 */
export async function populatedDataDir(options: { compact?: boolean } = {}): Promise<Before> {
  const dir = tempDir();
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    if (options.compact ?? true) {
      await local.lake.emit(generateEvents({ accounts: 4, days: 2, eventsPerDay: 24, start: START, seed: 1 }));
      await runLifecycle({ log: local.log, index: local.index, archive: local.archive }, { now: (START + 16 * DAY) * 1000 });
      const [archived] = (await local.index.objects()).filter((o) => o.storageClass === 'GLACIER');
      await local.archive.restore([archived!.key], { tier: 'Expedited', days: 1 });
      await local.archive.storage([archived!.key]); // restoreDelayMs 0: the copy is ready at once, settled by this look
    }
    const hot = generateEvents({ accounts: 4, days: 1, eventsPerDay: 48, start: START + 6 * DAY, seed: 2 });
    await local.lake.emit(hot.slice(0, 30));
    if (options.compact ?? true) await compactHour({ log: local.log, index: local.index }, partitionPrefix(hot[0]!.EventTimeStamp));
    for (let i = 30; i < hot.length; i += 6) await local.lake.emit(hot.slice(i, i + 6));
    await local.snapshots.take('balances', await local.store.liveGeneration('balances'), await local.dispatchedPosition());
    const before = { dir, rows: indexRows(dir), balances: await local.lake.balances(), dispatched: await local.dispatchedPosition() };
    return before;
  } finally {
    await local.close();
  }
}

/** The `dispatch` checkpoint of the data dir's dispatch.db. */
export async function dispatchCheckpoint(dir: string): Promise<number> {
  const store = new SqliteCheckpointStore(dataDirLayout(dir).dispatchDb);
  try {
    return await store.get('dispatch');
  } finally {
    store.close();
  }
}

/** Delete index.db with its -wal and -shm, as an operator who lost it. */
export function loseIndex(dir: string): void {
  const { indexDb } = dataDirLayout(dir);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${indexDb}${suffix}`, { force: true });
}

/** Overwrite index.db with bytes SQLite cannot read. */
export function corruptIndex(dir: string): void {
  loseIndex(dir);
  writeFileSync(dataDirLayout(dir).indexDb, 'not a database, a disk gone bad '.repeat(200));
}
