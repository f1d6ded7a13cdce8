// The rebuild function's final answer counts every restore the rebuild requested, across the invocations that answered
// `restoring` before it: an operator reads that answer (or `rebuild --remote --wait`'s output) to know what was paid
// for. Before, `built.rehydrated` and `verification.rehydrated` counted only what the last invocation asked for, and a
// restore an earlier invocation asked for, done by then, read as "already readable".
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { coordinatorRebuild, RESTORE_MARGIN_MS } from '../../../adapters/aws/lambda/create-rebuild.ts';
import { jsonSafe } from '../../../adapters/aws/lambda/observability.ts';
import { renderRemoteReport } from '../../../cli/commands/rebuild-remote-render.ts';
import type { RestoreTier } from '../../../domain/ports/storage.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { RebuildPlan } from '../../../projections/rebuild/plan.ts';
import type { RehydrateReport } from '../../../projections/rebuild/rehydrate.ts';
import { buildScenario, type ScenarioOptions } from '../../support/fakes/scenario.ts';

const test = suite('rebuild function: restore counts across restoring invocations');
/** Hours: far past any invocation's 15 minutes; an invocation waits a minute beyond its answering margin. */
const RESTORE_MS = 3 * 3_600_000;
const SPARE_MS = 60_000;

/** The fields of an answer these tests read. */
type Answer = Readonly<{ status: string; plan: RebuildPlan; built?: { readonly rehydrated: RehydrateReport }; verification?: { readonly rehydrated?: RehydrateReport } }>;

const requests = (r: RehydrateReport | undefined) => Object.values(r?.requested ?? {}).reduce((a, n) => a + n, 0);
const restored = (r: RehydrateReport | undefined) => (r ? r.objects - r.alreadyReadable : -1);

/** A lake whose restores take RESTORE_MS, and an invocation of the rebuild function with SPARE_MS to wait on them. */
async function setup(options: ScenarioOptions, from: (endOfDay: (d: number) => number) => number) {
  const { lake, endOfDay } = await buildScenario({ restoreDelayMs: RESTORE_MS, ...options });
  const rebuild = coordinatorRebuild(new RebuildCoordinator(lake, lake.projections));
  const invoke = async () => {
    const deadline = lake.clock + RESTORE_MARGIN_MS + SPARE_MS;
    const answer = await rebuild({ projection: 'balances', from: from(endOfDay), dryRun: false }, { remainingMs: () => deadline - lake.clock });
    return jsonSafe(answer) as Answer;
  };
  /** Every restore request the archive tier took, per tier, and the objects asked for. */
  const asked = () => {
    const perTier: Partial<Record<RestoreTier, number>> = {};
    for (const r of lake.archive.requests) perTier[r.request.tier] = (perTier[r.request.tier] ?? 0) + r.keys.length;
    return { perTier, objects: new Set(lake.archive.requests.flatMap((r) => r.keys)).size };
  };
  return { lake, invoke, asked };
}

test('a rebuild whose replay answered restoring once reports, when it finishes, every restore its replay requested', async () => {
  const { lake, invoke, asked } = await setup({}, () => 0);
  assert.is((await invoke()).status, 'restoring');
  lake.clock += RESTORE_MS;
  const done = await invoke();
  assert.is(done.status, 'promoted');
  const { perTier, objects } = asked();
  assert.ok(objects > 0, 'the replay restored archived objects');
  assert.equal(done.built!.rehydrated.requested, perTier);
  assert.is(restored(done.built!.rehydrated), objects, 'restores finished meanwhile count as restored, not as already readable');
});

test('a restore asked by the first invocation counts once though two invocations answered restoring while it ran', async () => {
  const { lake, invoke, asked } = await setup({}, () => 0);
  assert.is((await invoke()).status, 'restoring');
  lake.clock += RESTORE_MS / 3;
  assert.is((await invoke()).status, 'restoring');
  lake.clock += RESTORE_MS;
  const done = await invoke();
  assert.is(done.status, 'promoted');
  const { objects } = asked();
  assert.is(requests(done.built!.rehydrated), objects, 'each object requested once, and counted once');
  assert.is(restored(done.built!.rehydrated), objects);
  assert.ok(done.built!.rehydrated.polls > 0, 'the polls of every invocation count');
});

test('a rebuild that answered restoring from its replay, then from its verification, reports each phase\'s restores of all invocations', async () => {
  // From the snapshot of day 3 with day 4 in Glacier: the replay restores day 4, the verification days 0-3.
  const { lake, invoke, asked } = await setup({ glacierDays: 3 }, (endOfDay) => endOfDay(3));
  const first = await invoke();
  assert.is(first.status, 'restoring');
  assert.is(first.built, undefined, 'the first invocation waited on the replay\'s restores');
  lake.clock += RESTORE_MS;
  const second = await invoke();
  assert.is(second.status, 'restoring');
  assert.ok(second.built, 'the second waited on the verification\'s');
  lake.clock += RESTORE_MS;
  const done = await invoke();
  assert.is(done.status, 'promoted');
  const { replay, verification } = { replay: done.built!.rehydrated, verification: done.verification!.rehydrated };
  const planned = (r: RebuildPlan['restores']) => r.GLACIER.objects + r.DEEP_ARCHIVE.objects;
  assert.ok(planned(done.plan.restores) > 0 && planned(done.plan.verification!.restores) > 0, 'both phases restore');
  assert.is(requests(replay), planned(done.plan.restores));
  assert.is(requests(verification), planned(done.plan.verification!.restores));
  assert.is(requests(replay) + requests(verification), asked().objects, 'together, every restore requested');
  assert.is(restored(verification), planned(done.plan.verification!.restores));
});

test('rebuild --remote renders the final answer\'s counts of all invocations', async () => {
  const { lake, invoke, asked } = await setup({}, () => 0);
  await invoke();
  lake.clock += RESTORE_MS;
  const lines = renderRemoteReport(await invoke() as unknown as Record<string, unknown>) ?? [];
  const { perTier, objects } = asked();
  const asText = Object.entries(perTier).map(([tier, n]) => `${n} ${tier}`).join(', ');
  assert.ok(lines.some((l) => l.startsWith(`  rehydrated ${objects} of `) && l.includes(`${asText} restore request(s)`)), lines.join('\n'));
});

test.run();
