// A rebuild or a verification that gave up waiting on restores (the rebuild function answers `restoring`) or was cut
// short, then ran again, reports the restores every attempt requested: they are kept in the generation's checkpoint
// as they are requested. A restore an earlier attempt asked for that finished meanwhile counts once, as requested
// then, and not as "already readable".

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../../domain/errors.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import type { RehydrateReport } from '../../../projections/rebuild/rehydrate.ts';
import { readCheckpoint } from '../../../projections/rebuild/replay.ts';
import { rejects } from '../../support/async.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('rebuild: restore counts of resumed attempts');
const RESTORE_MS = 3_600_000;
/** A restore wait that gives up long before the restores are done. */
const GIVE_UP = { poll: { timeoutMs: 60_000 } };

const requests = (r: RehydrateReport | undefined) => Object.values(r?.requested ?? {}).reduce((a, n) => a + n, 0);
const restored = (r: RehydrateReport | undefined) => (r ? r.objects - r.alreadyReadable : -1);

async function setup(from: (endOfDay: (d: number) => number) => number) {
  const { lake, endOfDay } = await buildScenario({ restoreDelayMs: RESTORE_MS });
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const plan = await coordinator.plan({ projection: 'balances', from: from(endOfDay), against: ['log'] });
  const asked = () => new Set(lake.archive.requests.flatMap((r) => r.keys)).size;
  return { lake, coordinator, plan, asked };
}

test('a rebuild run again after its restore wait gave up reports the restores the first run requested', async () => {
  const { lake, coordinator, plan, asked } = await setup(() => 0);
  await rejects(() => coordinator.rebuild(plan, GIVE_UP), TransientError);
  lake.clock += RESTORE_MS;
  const built = await coordinator.rebuild(plan);
  assert.ok(built.resumed);
  assert.is(requests(built.rehydrated), plan.restores.GLACIER.objects + plan.restores.DEEP_ARCHIVE.objects);
  assert.is(requests(built.rehydrated), asked());
  assert.is(restored(built.rehydrated), asked(), 'restored meanwhile, not already readable');
});

test('a rebuild cut short while waiting on its restores leaves them in the generation\'s checkpoint', async () => {
  const { lake, coordinator, plan, asked } = await setup(() => 0);
  // Progress is told once the restores are requested, before the first poll: throwing there stands for the kill.
  const cut = new Error('the invocation timed out');
  const onProgress = (e: { phase: string }) => { if (e.phase === 'rehydrate') throw cut; };
  assert.is(await rejects(() => coordinator.rebuild(plan, { onProgress }), Error), cut);
  const generation = await lake.checkpoints.get(rebuildCheckpointName('balances'));
  const cp = await readCheckpoint(lake, 'balances', generation);
  assert.ok(asked() > 0, 'restores were requested');
  assert.is(requests(cp?.replayRestores?.pass), asked());
});

test('a verification run again after its restore wait gave up reports the restores the first attempt requested', async () => {
  const { lake, coordinator, plan, asked } = await setup((endOfDay) => endOfDay(4));
  const built = await coordinator.rebuild(plan);
  assert.is(asked(), 0, 'the replay read hot objects only');
  await rejects(() => coordinator.verify('balances', built.generation, 'log', GIVE_UP), TransientError);
  lake.clock += RESTORE_MS;
  const check = await coordinator.verify('balances', built.generation, 'log');
  assert.ok(check.passed);
  const planned = plan.verification!.restores.GLACIER.objects + plan.verification!.restores.DEEP_ARCHIVE.objects;
  assert.is(requests(check.rehydrated), planned);
  assert.is(restored(check.rehydrated), planned);
  assert.is(asked(), planned);
});

test('a verification after one that finished reports only what it restored itself', async () => {
  const { lake, coordinator, plan } = await setup((endOfDay) => endOfDay(4));
  const built = await coordinator.rebuild(plan);
  await rejects(() => coordinator.verify('balances', built.generation, 'log', GIVE_UP), TransientError);
  lake.clock += RESTORE_MS;
  await coordinator.verify('balances', built.generation, 'log');
  const again = await coordinator.verify('balances', built.generation, 'log');
  assert.is(requests(again.rehydrated), 0);
  assert.is(restored(again.rehydrated), 0);
  assert.is((await readCheckpoint(lake, 'balances', built.generation))?.verifyRestores, undefined, 'nothing left to resume');
});

test('a finished rebuild taken over again reports the restores its replay requested', async () => {
  const { coordinator, plan, asked } = await setup(() => 0);
  const first = await coordinator.rebuild(plan, { restoreTier: 'Bulk' });
  const again = await coordinator.rebuild(plan, { resumeFinished: true });
  assert.is(again.generation, first.generation);
  assert.equal(again.rehydrated.requested, first.rehydrated.requested);
  assert.equal(again.rehydrated.requested, { Bulk: asked() });
});

test.run();
