// The rebuild function's answer says what its verification against the log restored (every archived object before
// the snapshot), apart from what its replay restored: both are billed, and the answer is what the operator reads.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { coordinatorRebuild } from '../../../adapters/aws/lambda/create-rebuild.ts';
import { jsonSafe } from '../../../adapters/aws/lambda/observability.ts';
import { renderRemoteReport } from '../../../cli/commands/rebuild-remote-render.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { RehydrateReport } from '../../../projections/rebuild/rehydrate.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('rebuild function: the verification\'s restores in its answer');

interface Answer {
  readonly status: string;
  readonly built: { readonly rehydrated: RehydrateReport };
  readonly verification: { readonly rehydrated?: RehydrateReport };
}

const restored = (r: RehydrateReport | undefined) => (r ? r.objects - r.alreadyReadable : -1);

/** A rebuild from the snapshot of day 4, after every archived hour: its replay reads hot objects only. */
async function promotedFromSnapshot() {
  const { lake, endOfDay } = await buildScenario({ restoreDelayMs: 1000 });
  const rebuild = coordinatorRebuild(new RebuildCoordinator(lake, lake.projections));
  const answer = jsonSafe(await rebuild({ projection: 'balances', from: endOfDay(4), dryRun: false })) as Answer;
  const archived = (await lake.index.objects()).filter((o) => o.storageClass !== 'STANDARD').length;
  return { answer, archived };
}

test('the answer carries the objects the verification restored apart from those the replay restored', async () => {
  const { answer, archived } = await promotedFromSnapshot();
  assert.is(answer.status, 'promoted');
  assert.ok(archived > 0, 'the scenario has archived objects');
  assert.is(restored(answer.built.rehydrated), 0, 'the replay read hot objects only');
  assert.is(restored(answer.verification.rehydrated), archived);
});

test('rebuild --remote renders the verification\'s restores from the answer', async () => {
  const { answer, archived } = await promotedFromSnapshot();
  const lines = renderRemoteReport(answer as unknown as Record<string, unknown>) ?? [];
  assert.ok(lines.some((l) => l.startsWith(`  verification restored ${archived} of `)), lines.join('\n'));
});

test.run();
