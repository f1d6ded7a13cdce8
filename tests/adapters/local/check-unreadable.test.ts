// The local adapters on a data dir the running user cannot read (injected EACCES, no root or mount needed): `repair
// index` refuses before it replaces index.db (an unreadable folder read as empty would drop its events from the
// index), the guards run at open give a typed error naming the owner, and a query names the folder and the fix.

import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../../adapters/local/duckdb-event-query.ts';
import { queryFailed } from '../../../adapters/local/duckdb-failure.ts';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { dataDirGaps } from '../../../adapters/local/log-check.ts';
import { refuseLostIndex } from '../../../adapters/local/lost-index-guard.ts';
import { QueryFailedError, StorageError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { fixtureCopiesOf } from '../../support/fixture-copies.ts';
import { indexRows, populatedDataDir } from '../../support/index-repair-data-dir.ts';

const populatedCopy = fixtureCopiesOf(() => populatedDataDir());
const eacces = (syscall: string, path: string) => Object.assign(new Error(`EACCES: permission denied, ${syscall} '${path}'`), { code: 'EACCES', syscall, path });

/** Make `name` throw EACCES for the paths `denied` matches, while `fn` runs. */
async function denied<T>(name: 'readdirSync' | 'statSync', isDenied: (path: string) => boolean, fn: () => Promise<T> | T): Promise<T> {
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = target[name]!;
  target[name] = (p: unknown, ...rest: unknown[]) => {
    if (isDenied(String(p))) throw eacces(name.replace(/Sync$/, ''), String(p));
    return original(p, ...rest);
  };
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    target[name] = original;
    syncBuiltinESMExports();
  }
}

/** The first hour folder of the hot events, the one the repair's listing would have skipped. */
function hotHour(dir: string): string {
  const down = (d: string): string => {
    const [first] = fs.readdirSync(d).filter((n) => n.includes('=')).sort();
    return first === undefined ? d : down(join(d, first));
  };
  return down(join(dir, 'events'));
}

const test = suite('local adapters on what they cannot read');

test('repair index refuses an event folder it cannot read, and index.db keeps every row', async () => {
  const before = await populatedCopy();
  const hour = hotHour(before.dir);
  const error = await denied('readdirSync', (p) => p === hour, () => rejects(() => repairIndex(before.dir), StorageError));
  assert.match(error.message, `${hour} cannot be read (EACCES`);
  assert.match(error.message, 'index.db was not rebuilt, and nothing was changed');
  assert.equal(indexRows(before.dir), before.rows);
  assert.equal(fs.readdirSync(before.dir).filter((n) => n.startsWith('index.db.damaged')), []);
});

test('a data dir the user cannot enter: dataDirGaps and refuseLostIndex throw STORAGE_FAILED naming its owner uid', async () => {
  const { dir } = await populatedCopy();
  const layout = dataDirLayout(dir);
  const inside = (p: string) => p.startsWith(`${layout.root}/`);
  const uids = `${layout.root} is owned by uid ${fs.statSync(layout.root).uid}, eventlake runs as uid ${process.getuid!()}`;
  for (const guard of [() => dataDirGaps(layout), () => refuseLostIndex(layout)]) {
    const error = await denied('statSync', inside, () => rejects(async () => guard(), StorageError));
    assert.is(error.code, 'STORAGE_FAILED');
    assert.match(error.message, uids);
    assert.match(error.message, 'nothing was opened or created');
  }
});

test('a data dir that lost index.db and whose events folder cannot be listed is refused, not taken for a new one', async () => {
  const { dir } = await populatedCopy();
  const layout = dataDirLayout(dir);
  fs.rmSync(layout.indexDb);
  fs.rmSync(layout.journalDir, { recursive: true }); // no journal: only the event objects tell
  const error = await denied('readdirSync', (p) => p === layout.events, () => rejects(async () => refuseLostIndex(layout), StorageError));
  assert.match(error.message, `${layout.events} cannot be read (EACCES`);
});

test('a query over an archive folder it cannot read fails QUERY_FAILED naming the folder and the fix', async () => {
  const { dir } = await populatedCopy();
  const glacier = join(dir, 'archive', 'GLACIER', 'events');
  const query = new DuckDbEventQuery({ dataDir: dir });
  try {
    const error = await denied('readdirSync', (p) => p === glacier, () => rejects(() => query.sql('SELECT count(*) AS n FROM events'), QueryFailedError));
    assert.match(error.message, `${glacier} cannot be read (EACCES`);
    assert.match(error.message, /Fix: run eventlake as the data dir's owner/);
  } finally {
    await query.close();
  }
});

test("DuckDB's own 'Permission denied' on an object file fails QUERY_FAILED naming the file and the fix", () => {
  const file = '/data/events/year=2024/month=01/day=01/hour=00/batch-0000000000001.ndjson';
  const error = queryFailed('DuckDB query failed', new Error(`IO Error: Cannot open file "${file}": Permission denied`));
  assert.is(error.code, 'QUERY_FAILED');
  assert.match(error.message, `${file} cannot be read by this user, so the query did not run`);
  assert.match(error.message, /Fix: run eventlake as the data dir's owner/);
});

test.run();
