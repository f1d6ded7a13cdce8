// `verify` on a data dir opened read-only (--read-only, or a read-only file system, injected as EROFS): every form
// answers what it answers on the same data dir opened writable, without the rebuild lease (taking it writes dispatch.db)
// and reading snapshots back in memory, and no file of the data dir changes; one that would have to restore archived
// objects refuses naming them. In-process, on small data dirs.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { failFs, snapshotOf } from '../adapters/local/open-readonly-faults.ts';
import { runCli, type CliRun } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('verify on a data dir opened read-only');

/** Generation 2 of balances: a rebuild from 0 kept by --no-promote (live: generation 1). */
const KEPT = '2';

const FORMS: Record<string, readonly string[]> = {
  snapshot: ['verify', '--against', 'snapshot'],
  kept: ['verify', '--projection', 'balances', '--generation', KEPT],
  keptSnapshot: ['verify', '--projection', 'balances', '--generation', KEPT, '--against', 'snapshot'],
  keptLive: ['verify', '--projection', 'balances', '--generation', KEPT, '--against', 'live'],
};

/**
 * A data dir with a snapshot of each projection after its first event, a second event, and a kept rebuild of balances;
 * and what each form answers on it opened writable (which writes: a lease, a catch-up), run before any read-only one.
 */
let shared: Promise<{ dir: string; writable: Record<string, CliRun> }> | undefined;
const lake = () => (shared ??= (async () => {
  const dir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await local.lake.emit(SAMPLES.cash_deposit!);
    for (const p of local.projections) await local.snapshots.take(p.name, await local.store.liveGeneration(p.name), await local.dispatchedPosition());
    await local.lake.emit(SAMPLES.cash_withdrawal!);
    const coordinator = new RebuildCoordinator(local, local.projections);
    const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    assert.is(String(built.generation), KEPT);
  } finally {
    await local.close();
  }
  const writable: Record<string, CliRun> = {};
  for (const [form, args] of Object.entries(FORMS)) writable[form] = await runCli(['--data-dir', dir, ...args]);
  return { dir, writable };
})());

/** `form` run with --read-only (or `readOnly` around a plain run) must pass as it did writable, changing no file. */
async function answersAsWritable(form: string, readOnly?: (dir: string, run: () => Promise<CliRun>) => Promise<CliRun>): Promise<void> {
  const { dir, writable } = await lake();
  assert.is(writable[form]!.code, 0, writable[form]!.stderr);
  const before = snapshotOf(dir);
  const r = readOnly ? await readOnly(dir, () => runCli(['--data-dir', dir, ...FORMS[form]!])) : await runCli(['--data-dir', dir, '--read-only', ...FORMS[form]!]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, writable[form]!.stdout);
  assert.match(r.stdout, 'passed');
  assert.equal(snapshotOf(dir), before);
}

test('verify --against snapshot with --read-only reads each snapshot back in memory and passes as on a writable data dir', () => answersAsWritable('snapshot'));

test('verify --generation N (a kept rebuild) against the log with --read-only passes without taking the rebuild lease', () => answersAsWritable('kept'));

test('verify --generation N --against snapshot with --read-only passes without the lease, the snapshot read in memory', () => answersAsWritable('keptSnapshot'));

test('verify --generation N --against live with --read-only passes without taking the rebuild lease', () => answersAsWritable('keptLive'));

test('on a read-only file system (EROFS) verify --against snapshot passes as on a writable data dir, changing nothing', () => answersAsWritable('snapshot', (dir, run) => {
  const undo = failFs('accessSync', 'EROFS', (p) => p.startsWith(dir));
  return run().finally(undo);
}));

test('verify --against snapshot with --read-only, whose events after the snapshot are archived, refuses naming them and the fix', async () => {
  const dir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    // A snapshot of nothing, then an event archived by an archive run: the verification must restore it to read it.
    for (const p of local.projections) await local.snapshots.take(p.name, 1, 0);
    await local.lake.emit(SAMPLES.cash_deposit!);
    await runLifecycle(local, { now: Date.now() });
  } finally {
    await local.close();
  }
  const before = snapshotOf(dir);
  const r = await runCli(['--data-dir', dir, '--read-only', 'verify', '--against', 'snapshot']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /eventlake: DATA_DIR_NOT_WRITABLE: verifying \(it must restore 1 archived object\(s\) to read them, first: events\/\S+\) on \S+ failed: /);
  assert.match(r.stderr, 'copy the data dir to a writable place (cp -a) and point --data-dir there');
  assert.is(r.stdout, '');
  assert.equal(snapshotOf(dir), before);
});

test.run();
