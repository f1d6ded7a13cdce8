// The rebuild function's verification against the log restores the archived objects before its snapshot: like the
// replay's restores, it waits for them only until shortly before the Lambda timeout, then answers `restoring`, frees
// the lease and keeps the finished generation, which the next invocation takes over and verifies without replaying.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { coordinatorRebuild, RESTORE_MARGIN_MS } from '../../../adapters/aws/lambda/create-rebuild.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { RebuildPlan } from '../../../projections/rebuild/plan.ts';
import { rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';
import { readCheckpoint } from '../../../projections/rebuild/replay.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('rebuild function: restores of the verification');
/** Hours: far past any invocation's 15 minutes. */
const RESTORE_MS = 3 * 3_600_000;
/** What the invocation may spend waiting beyond its answering margin. */
const SPARE_MS = 60_000;

interface Answer {
  readonly status: string;
  readonly plan: RebuildPlan;
  readonly message?: string;
  readonly built?: { readonly generation: number; readonly resumed: boolean; readonly objectsRead: number };
}

/**
 * A rebuild from the snapshot of day 4, after every archived hour: its replay reads hot objects only, its
 * verification against the log reads the archived days 0-3. Each invocation has SPARE_MS beyond the margin on the
 * lake's clock (whose sleeps advance it).
 */
async function setup() {
  const { lake, endOfDay } = await buildScenario({ restoreDelayMs: RESTORE_MS });
  const rebuild = coordinatorRebuild(new RebuildCoordinator(lake, lake.projections));
  const invoke = async () => {
    const deadline = lake.clock + RESTORE_MARGIN_MS + SPARE_MS;
    const answer = await rebuild({ projection: 'balances', from: endOfDay(4), dryRun: false }, { remainingMs: () => deadline - lake.clock }) as Answer;
    return { answer, leftMs: deadline - lake.clock };
  };
  return { lake, invoke };
}

test('an invocation whose verification waits on restores past its deadline answers restoring, with the plan\'s counts, before the deadline', async () => {
  const { invoke } = await setup();
  const { answer, leftMs } = await invoke();
  assert.is(answer.status, 'restoring');
  const restores = answer.plan.verification!.restores;
  assert.ok(restores.GLACIER.objects + restores.DEEP_ARCHIVE.objects > 0, 'the plan counts what the verification restores');
  assert.match(answer.message ?? '', /^verifying generation \d+ against the log: .*still restoring.*invoke again with the same request/);
  // Restore waits stop exactly at their bound (11be001), so the whole margin is left for answering.
  assert.ok(leftMs >= RESTORE_MARGIN_MS, `answered with ${leftMs} ms left before the deadline, the whole margin kept for answering`);
});

test('an invocation answering restoring from its verification frees the rebuild lease and keeps the finished generation', async () => {
  const { lake, invoke } = await setup();
  const { answer } = await invoke();
  assert.is(answer.status, 'restoring');
  assert.is(await lake.checkpoints.get(rebuildLeaseName('balances')), 0, 'lease released');
  const kept = answer.built!.generation;
  assert.is((await readCheckpoint(lake, 'balances', kept))?.phase, 'finished');
  assert.is(await lake.store.liveGeneration('balances'), 1, 'not promoted');
});

test('the next invocation after the restores takes over the kept generation, replays nothing again, verifies and promotes it', async () => {
  const { lake, invoke } = await setup();
  const first = (await invoke()).answer;
  assert.is(first.status, 'restoring');
  lake.clock += RESTORE_MS;
  const { answer: next } = await invoke();
  assert.is(next.status, 'promoted');
  assert.is(next.built!.generation, first.built!.generation, 'the kept generation was taken over');
  assert.ok(next.built!.resumed);
  assert.is(next.built!.objectsRead, 0, 'no replay again');
  assert.is(await lake.store.liveGeneration('balances'), first.built!.generation);
});

test.run();
