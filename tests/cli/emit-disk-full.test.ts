// `eventlake emit` on a full disk: an append that fails stores nothing and says so (STORAGE_FULL, exit 1, no stack);
// a close that fails after a successful append says the events are stored.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LogCheckpoints } from '../../adapters/local/log-checkpoints.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';
import { depositNo, enospc, fillDisk } from '../adapters/local/append-disk-full-faults.ts';

const test = suite('eventlake emit on a full disk');

/** A data dir (lake) and a file of `n` events with RequestIds, so sending it again sends the same identities. */
function setUp(n: number): { dataDir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, Array.from({ length: n }, (_, i) => JSON.stringify(depositNo(i))).join('\n'));
  return { dataDir: join(dir, 'lake'), file };
}

test('an emit whose journal write fails on a full disk exits 1 with STORAGE_FULL saying nothing was stored, and no stack', async () => {
  const { dataDir, file } = setUp(20);
  const free = fillDisk(dataDir, 'journal write');
  let r;
  try {
    r = await runCli(['--data-dir', dataDir, 'emit', file]);
  } finally {
    free();
  }
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /^eventlake: STORAGE_FULL: storing a batch of 20 events in the log failed: no space left \(ENOSPC\) on the disk holding /);
  assert.match(r.stderr, 'nothing of it was stored. Free space on that disk');
  assert.not.match(r.stderr, 'unexpected error');
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  assert.is(r.stdout, '');
  const again = await runCli(['--data-dir', dataDir, 'emit', '--json', file]);
  assert.is(again.code, 0, again.stderr);
  assert.equal(again.stdout.trim().split('\n').map((l) => JSON.parse(l).status), Array(20).fill('stored'));
});

test('an emit whose close fails on a full disk after the append says its events are stored', async () => {
  const { dataDir, file } = setUp(3);
  // The checkpoint itself fails (close() calls it through LogCheckpoints, not FsEventLog.checkpoint).
  const run = LogCheckpoints.prototype.run;
  LogCheckpoints.prototype.run = () => Promise.reject(enospc('write'));
  let r;
  try {
    r = await runCli(['--data-dir', dataDir, 'emit', '--json', file]);
  } finally {
    LogCheckpoints.prototype.run = run;
  }
  assert.is(r.code, 1, r.stderr);
  assert.equal(r.stdout.trim().split('\n').map((l) => JSON.parse(l).status), ['stored', 'stored', 'stored']);
  assert.match(r.stderr, /^eventlake: STORAGE_FULL: closing the data dir after the emit .* failed: no space left \(ENOSPC\)/);
  assert.match(r.stderr, 'all 3 events are stored');
  assert.not.match(r.stderr, 'nothing of it was stored');
  assert.not.match(r.stderr, 'unexpected error');
  const again = await runCli(['--data-dir', dataDir, 'emit', '--json', file]);
  assert.is(again.code, 0, again.stderr);
  assert.equal(again.stdout.trim().split('\n').map((l) => JSON.parse(l).status), ['duplicate', 'duplicate', 'duplicate']);
});

test.run();
