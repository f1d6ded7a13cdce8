// A verification reports what it restored, apart from the replay's restores in the rebuild's report. Why: verifying
// a rebuild from a snapshot against the log restores every archived object before the snapshot (the plan counts and
// prices them), but the reports after the fact counted the replay's restores only, so they under-reported the bill.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { RehydrateReport } from '../../../projections/rebuild/rehydrate.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('verification: what it restored');

const restored = (r: RehydrateReport | undefined) => (r ? r.objects - r.alreadyReadable : -1);

/** A rebuild from the snapshot of day 4, after every archived hour: its replay reads hot objects only. */
async function rebuiltFromSnapshot() {
  const { lake, endOfDay } = await buildScenario({ restoreDelayMs: 1000 });
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const plan = await coordinator.plan({ projection: 'balances', from: endOfDay(4), against: ['log'] });
  const built = await coordinator.rebuild(plan);
  const archived = (await lake.index.objects()).filter((o) => o.storageClass !== 'STANDARD').length;
  return { coordinator, plan, built, archived };
}

test('verifying a rebuild from a snapshot against the log reports the archived objects it restored, the rebuild\'s report none of them', async () => {
  const { coordinator, built, archived } = await rebuiltFromSnapshot();
  assert.ok(archived > 0, 'the scenario has archived objects');
  const check = await coordinator.verify('balances', built.generation, 'log');
  assert.ok(check.passed);
  assert.is(restored(built.rehydrated), 0, 'the replay restored nothing');
  assert.is(restored(check.rehydrated), archived);
  assert.ok((check.rehydrated?.polls ?? 0) > 0, 'it waited for them');
});

test('what a verification restored matches what the plan counted for it', async () => {
  const { coordinator, plan, built } = await rebuiltFromSnapshot();
  const check = await coordinator.verify('balances', built.generation, 'log');
  const planned = plan.verification!.restores;
  assert.is(restored(check.rehydrated), planned.GLACIER.objects + planned.DEEP_ARCHIVE.objects);
});

test('verifying against the snapshot reports restoring nothing', async () => {
  const { coordinator, built } = await rebuiltFromSnapshot();
  const check = await coordinator.verify('balances', built.generation, 'snapshot');
  assert.is(restored(check.rehydrated), 0);
});

test.run();
