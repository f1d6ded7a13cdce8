// A data dir for the integrity check's tests: archived hours, a hot compacted hour and hot batch objects, closed.

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { partitionPrefix } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import { compactHour } from '../../projections/compactor.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { tempDir } from './tmp.ts';

const START = Date.UTC(2024, 0, 1) / 1000;
/** Hour of the hot events that `healthyDataDir` compacts into hot segments. */
export const HOT_COMPACTED_HOUR = partitionPrefix(START + 6 * 86_400);

/**
 * A data dir emitted through openLocalEventlake: two days in GLACIER (compacted by the lifecycle), then a day of hot
 * batch objects whose first hour is compacted into a hot segment. Closed when returned.
 */
export async function healthyDataDir(): Promise<string> {
  const dir = tempDir();
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await local.lake.emit(generateEvents({ accounts: 5, days: 2, eventsPerDay: 30, start: START, seed: 1 }));
    await runLifecycle({ log: local.log, index: local.index, archive: local.archive }, { now: (START + 16 * 86_400) * 1000 });
    await local.lake.emit(generateEvents({ accounts: 5, days: 1, eventsPerDay: 120, start: START + 6 * 86_400, seed: 2 }));
    await compactHour({ log: local.log, index: local.index }, HOT_COMPACTED_HOUR);
  } finally {
    await local.close();
  }
  return dir;
}

/** Paths (relative to `dir`) of the object files whose path contains `part`, sorted. */
export function objectFiles(dir: string, part: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String)
    .filter((f) => f.includes(part) && /\.(ndjson|event)$/.test(f) && !f.split('/').some((s) => s.startsWith('.'))).sort();
}

/** Every file and folder of `dir` with its size, mtime and a hash of its bytes: equal listings mean nothing was written. */
export function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort().map((f) => {
    const path = join(dir, f);
    const s = statSync(path);
    const hash = s.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'dir';
    return `${relative(dir, path)} ${s.size} ${s.mtimeMs} ${s.mode.toString(8)} ${hash}`;
  });
}

/** Run `fn` on a writable connection to one of the data dir's SQLite files (to damage it on purpose). */
export function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
