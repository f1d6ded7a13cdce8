// Verifying against a snapshot reads one the store can still restore: with no time given the newest restorable one,
// and when none is, the refusal says so and names `eventlake snapshot list` instead of failing in the restore. A
// restore refused after all (AWS: the table dropped meanwhile) is worded for a verification, not for a rebuild.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { RebuildSnapshotGoneError, SnapshotNotRestorableError } from '../../../projections/rebuild/snapshot-errors.ts';
import { rejects } from '../../support/async.ts';
import { restorableLake } from './restorable-lake.ts';

const test = suite('verify against a snapshot: restorable snapshots only');

test('with no time given it verifies against the newest restorable snapshot, passing over a newer one no longer restorable', async () => {
  const { coordinator, deps, seen, balances } = await restorableLake();
  const [older, newest] = balances.slice(-2);
  seen.gone.set(newest!.id, 'table gone');
  const report = await coordinator.verify('balances', await deps.store.liveGeneration('balances'), 'snapshot');
  assert.ok(report.passed, report.reference);
  assert.match(report.reference, `snapshot ${older!.id} `);
});

test('with no snapshot restorable, verifying against a snapshot is refused naming eventlake snapshot list, restoring nothing', async () => {
  const { coordinator, deps, seen, balances } = await restorableLake();
  for (const s of balances) seen.gone.set(s.id, 'PITR off');
  const error = await rejects(() => coordinator.verify('balances', 1, 'snapshot'), InvalidArgumentError);
  assert.is(error.message, 'against: no snapshot of balances can be restored to verify against: the 6 taken can no longer be restored ' +
    '(eventlake snapshot list shows why): take one (eventlake snapshot take), or verify against the log');
  assert.is(seen.restores, 0);
  assert.is(await deps.store.createGeneration('balances'), 2, 'no scratch generation was created');
});

test('with a time given and no snapshot at or before it restorable, the refusal says they cannot be restored, not that none was taken', async () => {
  const { coordinator, seen, balances, endOfDay } = await restorableLake();
  for (const s of balances.slice(0, 3)) seen.gone.set(s.id, 'table gone');
  const at = endOfDay(2);
  const error = await rejects(() => coordinator.verify('balances', 1, 'snapshot', { snapshotAt: at }), InvalidArgumentError);
  assert.is(error.message, `snapshotAt: no snapshot of balances at or before ${new Date(at).toISOString()} can be restored to verify against: the 3 taken ` +
    `at or before ${new Date(at).toISOString()} can no longer be restored (eventlake snapshot list shows why): give a later time, leave the time out ` +
    'for the newest restorable one, or verify against the log');
});

test('a restore the store refuses as no longer possible says to verify again or against the log, not to run a rebuild again', async () => {
  const { coordinator, seen } = await restorableLake();
  seen.refuseRestore = (s) => new SnapshotNotRestorableError(s.id, 'eventlake-balances-g1', 'TableNotFoundException');
  const error = await rejects(() => coordinator.verify('balances', 1, 'snapshot'), SnapshotNotRestorableError);
  assert.match(error.message, /^snapshot: snapshot \S+ cannot be restored from eventlake-balances-g1 \(TableNotFoundException\): the table is gone or past its PITR retention; /);
  assert.ok(error.message.endsWith('; verify again, which reads the newest snapshot DynamoDB can still restore (eventlake snapshot list tells which are not ' +
    'restorable), or verify against the log'), error.message);
});

test('a rebuild verified against its own snapshot, no longer restorable by then, is refused saying so, never verified against another', async () => {
  const { coordinator, seen, endOfDay } = await restorableLake();
  const plan = await coordinator.plan({ projection: 'balances', from: endOfDay(4) });
  const built = await coordinator.rebuild(plan);
  seen.gone.set(plan.snapshot!.id, 'table gone');
  const restores = seen.restores;
  const error = await rejects(() => coordinator.verify('balances', built.generation, 'snapshot', { snapshotId: plan.snapshot!.id }), RebuildSnapshotGoneError);
  assert.is(error.message, `against: snapshot ${plan.snapshot!.id} of balances, the one generation ${built.generation} was rebuilt from, can no longer be ` +
    `restored (table gone), so it cannot be verified against: verify generation ${built.generation} against the log instead`);
  assert.is(seen.restores, restores, 'no snapshot restored');
});

test.run();
