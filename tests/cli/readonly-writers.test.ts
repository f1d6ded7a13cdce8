// Commands that must write on a data dir opened read-only: `verify --against log`, whose fold would have to restore
// archived objects, refuses up front naming them and the fix rather than part-way; and a refusal's read commands carry
// --read-only. (`run`: readonly-run.test.ts.)

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { failFs, snapshotOf } from '../adapters/local/open-readonly-faults.ts';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('writers on a data dir opened read-only');

let shared: Promise<string> | undefined;
const sharedDataDir = (): Promise<string> => (shared ??= emittedDataDir([SAMPLES.cash_deposit!]));

test('an emit refused by --read-only names read commands that keep --read-only and the global options given', async () => {
  const dir = await sharedDataDir();
  const input = join(tempDir(), 'event.json');
  writeFileSync(input, JSON.stringify(SAMPLES.incoming_payment));
  const r = await runCli(['--data-dir', dir, '--read-only', 'emit', input]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `Reads need none of it: eventlake --data-dir ${dir} --read-only status, balance, events and query`);
  assert.match(r.stderr, `and eventlake --data-dir ${dir} --read-only check works read-only`);
});

/** A data dir whose one event sits in an archived object (an archive run compacted and archived its hour). */
let archived: Promise<string> | undefined;
const archivedDataDir = (): Promise<string> => (archived ??= (async () => {
  const dir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await local.lake.emit(SAMPLES.cash_deposit!);
    await runLifecycle(local, { now: Date.now() });
  } finally {
    await local.close();
  }
  return dir;
})());

const REFUSED_VERIFY = /eventlake: DATA_DIR_NOT_WRITABLE: verifying against the log \(it must restore 1 archived object\(s\) to read them, first: events\/\S+\) on \S+ failed: /;

test('verify --against log with --read-only and an unrestored archived object refuses up front, naming it and the fix', async () => {
  const dir = await archivedDataDir();
  const before = snapshotOf(dir);
  const r = await runCli(['--data-dir', dir, '--read-only', 'verify', '--against', 'log']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, REFUSED_VERIFY);
  assert.match(r.stderr, 'copy the data dir to a writable place (cp -a) and point --data-dir there');
  assert.is(r.stdout, '', 'nothing was verified');
  assert.equal(snapshotOf(dir), before);
});

test('on a read-only file system the same refusal names the verification and the errno, not the open that fell back', async () => {
  const dir = await archivedDataDir();
  const undo = failFs('accessSync', 'EROFS', (p) => p.startsWith(dir));
  const r = await runCli(['--data-dir', dir, 'verify', '--against', 'log']).finally(undo);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, REFUSED_VERIFY);
  assert.match(r.stderr, '(EROFS: the file system is read-only); nothing was written');
});

test.run();
