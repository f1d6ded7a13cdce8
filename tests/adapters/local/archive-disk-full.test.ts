// `archive run` on a disk that fills mid-run: STORAGE_FULL (exit 1) saying what the run kept and the fix, no temp file
// left; the same command run once space is freed finishes, and check finds the data dir whole.

import fs, { readdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { runCli } from '../../security/cli-run.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('archive run on a full disk');

const HOUR_A = Date.UTC(2024, 3, 24, 9) / 1000;
const deposit = (n: number, at: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, EventTimeStamp: at }) as DomainEvent;
/** Three events in each of two hours, emitted in two appends per hour: two hours to compact. */
const EMITS = [[1, 2], [3], [4, 5], [6]].map((ns, i) => ns.map((n) => deposit(n, HOUR_A + (i < 2 ? 60 : 3660) + n)));
const RUN = ['archive', 'run', '--now', '2024-07-01T00:00:00Z'];

/** Run `fn` while the disk is full for segments: writing a compacted segment's temp file fails with ENOSPC, after `allowed` segments were written. */
async function withSegmentsFull<T>(allowed: number, fn: () => Promise<T>): Promise<T> {
  const { openSync, writeSync } = fs;
  const segmentFds = new Set<number>();
  let opened = 0;
  fs.openSync = ((path: fs.PathLike, ...rest: unknown[]) => {
    const fd = (openSync as (...a: unknown[]) => number)(path, ...rest);
    if (/\.tmp-.*segment/.test(String(path)) && ++opened > allowed) segmentFds.add(fd);
    return fd;
  }) as typeof fs.openSync;
  fs.writeSync = ((fd: number, ...rest: unknown[]) => {
    if (segmentFds.has(fd)) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    return (writeSync as (...a: unknown[]) => number)(fd, ...rest);
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    Object.assign(fs, { openSync, writeSync });
    syncBuiltinESMExports();
  }
}

/** Run `fn` while index.db cannot grow: SQLite answers SQLITE_FULL to relocating the second hour's events. */
async function withIndexFull<T>(fn: () => Promise<T>): Promise<T> {
  const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Database.Statement;
  const { run } = statement;
  statement.run = function (this: Database.Statement, ...params: unknown[]) {
    const relocation = this.source.startsWith('UPDATE events SET object_key') && String(params[0]).includes('hour=10/');
    if (relocation) throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    return run.apply(this, params);
  };
  try {
    return await fn();
  } finally {
    statement.run = run;
  }
}

async function emitted(): Promise<string> {
  const dir = tempDir();
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    for (const events of EMITS) await local.lake.emit(events);
  } finally {
    await local.close();
  }
  return dir;
}

/** Every file under `dir` whose name is a temp file's. */
function temps(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => p.split('/').pop()!.startsWith('.tmp-'));
}

test('a run whose segment write meets a full disk ends with STORAGE_FULL naming the segment, what was kept and the fix, exit 1', async () => {
  const dir = await emitted();
  const r = await withSegmentsFull(1, () => runCli(['--data-dir', dir, ...RUN]));
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^eventlake: STORAGE_FULL: writing segment events\/year=2024\/month=04\/day=24\/hour=10\/segment\.ndjson failed: no space left \(ENOSPC\)/);
  assert.match(r.stderr, 'a segment is published whole or not at all, and its events are still read from the objects they were in. Free space on that disk (or fix the device), then run the same operation again');
  assert.not.match(r.stderr, /unexpected error|\n\s+at /);
  assert.equal(temps(dir), []);
});

test('the same run once space is freed compacts the hour left, and check finds the data dir whole', async () => {
  const dir = await emitted();
  await withSegmentsFull(1, () => runCli(['--data-dir', dir, ...RUN]));
  const again = await runCli(['--data-dir', dir, ...RUN]);
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, 'compacted 3 event(s) in 1 hour(s)');
  const check = await runCli(['--data-dir', dir, 'check']);
  assert.is(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, `${dir}: whole`);
  const balance = await runCli(['--data-dir', dir, 'balance', EMITS[0]![0]!.TargetAccount as string]);
  assert.match(balance.stdout, '740.70');
});

test('a run whose index update meets a full disk ends with STORAGE_FULL saying index.db is unchanged; the same run then finishes, whole', async () => {
  const dir = await emitted();
  const r = await withIndexFull(() => runCli(['--data-dir', dir, ...RUN]));
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^eventlake: STORAGE_FULL: a statement on index\.db failed: no space left \(SQLITE_FULL\) on the disk holding index\.db; index\.db is unchanged by it \(SQLite rolled it back\)\. Free space on that disk/);
  assert.not.match(r.stderr, /unexpected error|\n\s+at /);
  const again = await runCli(['--data-dir', dir, ...RUN]);
  assert.is(again.code, 0, again.stdout + again.stderr);
  const check = await runCli(['--data-dir', dir, 'check']);
  assert.is(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, `${dir}: whole`);
});

test.run();
