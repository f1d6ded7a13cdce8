// A rebuild checks, under its lease, that the snapshot it planned from is still there and still restorable: one that
// stopped being restorable between the plan and the lease (AWS: its table dropped, PITR's retention passed) stops it
// with TRANSIENT before any generation is created; the same rebuild run again plans from a restorable one.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PlannedSnapshotNotRestorableError } from '../../../projections/rebuild/start-generation.ts';
import { rejects } from '../../support/async.ts';
import { restorableLake } from './restorable-lake.ts';

const test = suite('rebuild: a planned snapshot no longer restorable');

test('a planned snapshot still listed but no longer restorable stops the rebuild with TRANSIENT before creating a generation', async () => {
  const { coordinator, deps, seen, endOfDay } = await restorableLake();
  const plan = await coordinator.plan({ projection: 'balances', from: endOfDay(4) });
  seen.gone.set(plan.snapshot!.id, "before PITR's earliest restorable time 2024-01-06T00:00:00.000Z");
  const error = await rejects(() => coordinator.rebuild(plan), PlannedSnapshotNotRestorableError);
  assert.is(error.code, 'TRANSIENT');
  assert.is(error.message, `snapshot ${plan.snapshot!.id} of balances, the one at or before --from this rebuild planned to start from, can no longer be ` +
    "restored (before PITR's earliest restorable time 2024-01-06T00:00:00.000Z); no generation was created: run the same eventlake rebuild command " +
    'again, which plans from the newest snapshot that can still be restored, or from the start of the log when there is none');
  assert.is(seen.restores, 0);
  assert.is(await deps.store.createGeneration('balances'), 2, 'no generation was created');
});

test('after that refusal the same rebuild run again plans from the newest snapshot still restorable and builds from it', async () => {
  const { coordinator, seen, balances, endOfDay } = await restorableLake();
  const first = await coordinator.plan({ projection: 'balances', from: endOfDay(4) });
  seen.gone.set(first.snapshot!.id, 'table gone');
  await rejects(() => coordinator.rebuild(first), PlannedSnapshotNotRestorableError);
  const again = await coordinator.plan({ projection: 'balances', from: endOfDay(4) });
  assert.is(again.snapshot!.id, balances[3]!.id);
  const built = await coordinator.rebuild(again);
  assert.is(built.generation, 2);
  assert.ok((await coordinator.verify('balances', built.generation, 'log')).passed);
});

test.run();
