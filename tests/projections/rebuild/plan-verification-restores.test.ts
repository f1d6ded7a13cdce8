// A rebuild plan counts what its verification will restore. A rebuild from a snapshot replays only the events after
// it, but verifying it against the log (the default) folds the whole log, so it restores every archived object before
// the snapshot too: the plan said 0 restores, then 500 objects were restored (a Glacier bill the plan hid).
// On the in-memory lake (index scanned page by page) and on a local data dir (SQLite's grouped scan).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { RebuildPlan } from '../../../projections/rebuild/plan.ts';
import { estimateRestores } from '../../../projections/rebuild/restore-costs.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';
import { localScenarioCopies } from '../../support/local-scenario-copies.ts';

const test = suite('rebuild plan: restores of the verification');
/** A fresh copy per test of one six-day local data dir (days 0-1 Deep Archive, 2-3 Glacier), built once per file. */
const localScenario = localScenarioCopies({ seed: 3 });

const objectsOf = (r: RebuildPlan['restores']) => r.GLACIER.objects + r.DEEP_ARCHIVE.objects;
const verificationObjects = (plan: RebuildPlan) => objectsOf(plan.verification!.restores);

test('from a snapshot after every archived hour, verifying against the log restores every archived object, the replay none', async () => {
  const { lake, endOfDay } = await buildScenario();
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: endOfDay(4), against: ['log'] });
  const archived = (await lake.index.objects()).filter((o) => o.storageClass !== 'STANDARD');
  assert.ok(archived.length > 0, 'the scenario has archived objects');
  assert.is(objectsOf(plan.restores), 0, 'the replay reads hot events only');
  assert.is(plan.verification!.restores.GLACIER.objects, archived.filter((o) => o.storageClass === 'GLACIER').length);
  assert.is(plan.verification!.restores.DEEP_ARCHIVE.objects, archived.filter((o) => o.storageClass === 'DEEP_ARCHIVE').length);
  assert.ok(plan.verification!.restores.GLACIER.bytes > 0);
});

test('verification is planned against the log when no reference is named (what the CLI and the rebuild function do)', async () => {
  const { lake, endOfDay } = await buildScenario();
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: endOfDay(4) });
  assert.equal(plan.verification!.against, ['log']);
  assert.ok(verificationObjects(plan) > 0);
});

test('verifying against the snapshot restores nothing beyond the replay', async () => {
  const { lake, endOfDay } = await buildScenario();
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: endOfDay(2), against: ['snapshot'] });
  assert.ok(objectsOf(plan.restores) > 0, 'the replay restores some');
  assert.is(verificationObjects(plan), 0);
  assert.equal(plan.estimates, estimateRestores(plan.restores));
});

test('the cost estimate prices the replay\'s and the verification\'s restores together', async () => {
  const { lake, endOfDay } = await buildScenario();
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: endOfDay(2), against: ['log', 'snapshot'] });
  const r = plan.restores;
  const v = plan.verification!.restores;
  assert.ok(objectsOf(r) > 0 && objectsOf(v) > 0, 'both restore something');
  const both = {
    GLACIER: { objects: r.GLACIER.objects + v.GLACIER.objects, bytes: r.GLACIER.bytes + v.GLACIER.bytes },
    DEEP_ARCHIVE: { objects: r.DEEP_ARCHIVE.objects + v.DEEP_ARCHIVE.objects, bytes: r.DEEP_ARCHIVE.bytes + v.DEEP_ARCHIVE.bytes },
  };
  assert.equal(plan.estimates.map((e) => e.costMicros), estimateRestores(both).map((e) => e.costMicros));
});

test('the time of both is the replay\'s restore wait followed by the verification\'s: the verification requests its restores after the replay', async () => {
  const { lake, endOfDay } = await buildScenario();
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: endOfDay(2), against: ['log'] });
  const replay = estimateRestores(plan.restores);
  const verification = estimateRestores(plan.verification!.restores);
  assert.ok(objectsOf(plan.restores) > 0 && verificationObjects(plan) > 0, 'both restore something');
  assert.equal(plan.estimates.map((e) => [e.tier, e.minMinutes, e.maxMinutes]),
    replay.map((e, i) => [e.tier, e.minMinutes + verification[i]!.minMinutes, e.maxMinutes + verification[i]!.maxMinutes]));
});

test('an unknown reference is refused with an InvalidArgumentError naming against', async () => {
  const { lake } = await buildScenario({ days: 1 });
  const error = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: 0, against: ['yesterday' as 'log'] }).catch((e: unknown) => e);
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'against');
});

test('a plan with until refuses a reference but the log, naming against, before anything is rebuilt: a historical view is verified against the log only', async () => {
  const { lake, endOfDay } = await buildScenario({ days: 1 });
  const plan = new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: 0, until: endOfDay(0), against: ['log', 'snapshot'] });
  const error = await plan.catch((e: unknown) => e);
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'against');
  assert.match((error as Error).message, 'verified against the log only');
});

test('from 0 the replay reads every event: verification restores nothing more', async () => {
  const { lake } = await buildScenario();
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: 0, against: ['log'] });
  assert.ok(objectsOf(plan.restores) > 0);
  assert.is(verificationObjects(plan), 0);
});

test('the replay\'s and the verification\'s planned restores are the objects a rebuild and its verification against the log request', async () => {
  const { lake, endOfDay } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const plan = await coordinator.plan({ projection: 'balances', from: endOfDay(2), against: ['log'] });
  const built = await coordinator.rebuild(plan, { restoreTier: 'Bulk' });
  const replayed = new Set(lake.archive.requests.flatMap((r) => r.keys));
  assert.is(replayed.size, objectsOf(plan.restores));
  assert.ok((await coordinator.verify('balances', built.generation, 'log')).passed);
  const all = new Set(lake.archive.requests.flatMap((r) => r.keys));
  assert.is(all.size - replayed.size, verificationObjects(plan));
});

test('on a local data dir: planned 0 restores for the replay, the verification\'s count is what a rebuild verified against the log restores', async () => {
  const scenario = await localScenario();
  const local = await scenario.open();
  try {
    const coordinator = new RebuildCoordinator(local, local.projections);
    const plan = await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(4), against: ['log'] });
    assert.is(objectsOf(plan.restores), 0);
    const archived = (await local.index.objects()).filter((o) => o.storageClass !== 'STANDARD').map((o) => o.key);
    assert.is(verificationObjects(plan), archived.length);
    const built = await coordinator.rebuild(plan, { restoreTier: 'Bulk' });
    assert.ok((await coordinator.verify('balances', built.generation, 'log')).passed);
    const restored = (await local.archive.storage(archived)).filter((s) => s.restore !== 'NONE');
    assert.is(restored.length, verificationObjects(plan));
  } finally {
    await local.close();
  }
});

test('on a local data dir, verifying against the snapshot plans no restores of the verification', async () => {
  const scenario = await localScenario();
  const local = await scenario.open();
  try {
    const plan = await new RebuildCoordinator(local, local.projections).plan({ projection: 'balances', from: scenario.endOfDay(4), against: ['snapshot'] });
    assert.is(verificationObjects(plan), 0);
  } finally {
    await local.close();
  }
});

test.run();
