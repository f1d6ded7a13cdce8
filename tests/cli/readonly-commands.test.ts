// Read commands on a data dir this process may not write (a read-only mount, injected as EROFS: root ignores file
// modes) answer what they answer on a writable one, changing nothing; a write is refused with nothing written.

import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { failFs, snapshotOf } from '../adapters/local/open-readonly-faults.ts';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('read commands on a read-only data dir');

const READS = [['status'], ['balance'], ['events', '--since', '2024-01-01', '--json'], ['query', 'SELECT EventType, count(*) n FROM events GROUP BY 1 ORDER BY 1']];

// One data dir for every test: none writes to it (each checks so), and emitting fsyncs.
let shared: Promise<string> | undefined;
const sharedDataDir = (): Promise<string> => (shared ??= emittedDataDir([SAMPLES.cash_deposit!, SAMPLES.cash_withdrawal!]));

function readOnly<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const undo = failFs('accessSync', 'EROFS', (p) => p.startsWith(dir));
  return fn().finally(undo);
}

test('status, balance, events and query answer as on a writable data dir, say they read read-only, and change no file', async () => {
  const dir = await sharedDataDir();
  const writable = [];
  for (const args of READS) writable.push(await runCli(['--data-dir', dir, ...args]));
  const before = snapshotOf(dir);
  for (const [i, args] of READS.entries()) {
    const r = await readOnly(dir, () => runCli(['--data-dir', dir, ...args]));
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, writable[i]!.stdout, args.join(' '));
    assert.match(r.stderr, `eventlake: reading ${dir} read-only (${dir} cannot be written (EROFS)): answers are what is on disk, without catching up`);
  }
  assert.equal(snapshotOf(dir), before);
});

test('emit on a read-only data dir is refused with DATA_DIR_NOT_WRITABLE, exit 1, and nothing is written', async () => {
  const dir = await sharedDataDir();
  const input = join(tempDir(), 'event.json');
  writeFileSync(input, JSON.stringify(SAMPLES.incoming_payment));
  const before = snapshotOf(dir);
  const r = await readOnly(dir, () => runCli(['--data-dir', dir, 'emit', input]));
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /eventlake: DATA_DIR_NOT_WRITABLE: opening the data dir \S+ failed: .* \(EROFS: the file system is read-only\); nothing was created or changed/);
  assert.match(r.stderr, 'copy the data dir to a writable place (cp -a) and point --data-dir there');
  assert.is(r.stdout, '');
  assert.equal(snapshotOf(dir), before);
});

test('--read-only reads a writable data dir as it is and refuses emit (READ_ONLY) and repair, writing nothing', async () => {
  const dir = await sharedDataDir();
  const input = join(tempDir(), 'event.json');
  writeFileSync(input, JSON.stringify(SAMPLES.incoming_payment));
  const plain = await runCli(['--data-dir', dir, 'balance']);
  const before = [statSync(dir).mtimeMs, ...snapshotOf(dir)];
  const read = await runCli(['--data-dir', dir, '--read-only', 'balance']);
  assert.is(read.code, 0, read.stderr);
  assert.is(read.stdout, plain.stdout);
  assert.match(read.stderr, `eventlake: reading ${dir} read-only (as asked: --read-only or EVENTLAKE_READ_ONLY=1)`);
  const emit = await runCli(['--data-dir', dir, '--read-only', 'emit', input]);
  assert.is(emit.code, 1, emit.stderr);
  assert.match(emit.stderr, `eventlake: DATA_DIR_NOT_WRITABLE: storing events on ${dir} failed: ${dir} cannot be written (READ_ONLY: it was opened read-only); nothing was written`);
  assert.match(emit.stderr, 'open it for writing (without --read-only or EVENTLAKE_READ_ONLY=1; openLocalEventlake in code)');
  const repair = await runCli(['--data-dir', dir, '--read-only', 'repair', 'index']);
  assert.is(repair.code, 1, repair.stderr);
  assert.match(repair.stderr, 'eventlake: INVALID_ARGUMENT: --read-only: eventlake repair rewrites the data dir');
  assert.equal([statSync(dir).mtimeMs, ...snapshotOf(dir)], before);
});

test.run();
