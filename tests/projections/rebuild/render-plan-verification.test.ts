// The rendered plan says which restores are the replay's and which the verification's, and how to avoid the latter:
// --against snapshot here; the rebuild function (--remote) has no such option and the plan says so.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderRemoteReport } from '../../../cli/commands/rebuild-remote-render.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { PlanRequest } from '../../../projections/rebuild/plan.ts';
import { renderPlan } from '../../../projections/rebuild/render.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('rebuild plan rendering: restores of the verification');
const { lake, endOfDay } = await buildScenario();
const coordinator = new RebuildCoordinator(lake, lake.projections);
const planOf = (request: Omit<PlanRequest, 'projection'>) => coordinator.plan({ projection: 'balances', ...request });
const lineWith = (lines: readonly string[], text: string) => lines.find((l) => l.includes(text));

test('from a snapshot verified against the log, the plan names the replay\'s restores and the verification\'s N more, and --against snapshot', async () => {
  const plan = await planOf({ from: endOfDay(4), against: ['log'] });
  const n = plan.verification!.restores.GLACIER.objects + plan.verification!.restores.DEEP_ARCHIVE.objects;
  const lines = renderPlan(plan);
  assert.ok(lineWith(lines, 'restores needed by the replay: 0 GLACIER object(s)'), lines.join('\n'));
  const more = lineWith(lines, 'verification against the log restores');
  assert.ok(more?.includes(`restores ${n} more object(s) (${plan.verification!.restores.GLACIER.objects} GLACIER`), more);
  assert.ok(more?.endsWith('--against snapshot avoids it'), more);
});

test('the cost estimate is printed when only the verification restores, and says it prices both', async () => {
  const plan = await planOf({ from: endOfDay(4), against: ['log'] });
  const lines = renderPlan(plan);
  assert.ok(lineWith(lines, 'estimated AWS restore cost and time of both'), lines.join('\n'));
  assert.ok(lineWith(lines, plan.estimates[1]!.cost), 'the Standard estimate is shown');
});

test('verified against the snapshot, the plan says its verification restores nothing more', async () => {
  const lines = renderPlan(await planOf({ from: endOfDay(4), against: ['snapshot'] }));
  assert.ok(lineWith(lines, 'verification against snapshot restores nothing more'), lines.join('\n'));
  assert.not.ok(lineWith(lines, 'estimated AWS restore cost'), 'nothing to restore, nothing to price');
});

test('from 0 the plan has no verification line: the replay reads every object', async () => {
  const lines = renderPlan(await planOf({ from: 0 }));
  assert.not.ok(lineWith(lines, 'verification'), lines.join('\n'));
});

test('the rebuild function\'s plan says it always verifies against the log, not that --against snapshot avoids it', async () => {
  const lines = renderRemoteReport({ status: 'planned', plan: JSON.parse(JSON.stringify(await planOf({ from: endOfDay(4) }))) })!;
  const more = lineWith(lines, 'verification against the log restores');
  assert.ok(more?.includes('the rebuild function always verifies against the log (--remote takes no --against)'), more);
  assert.not.ok(more?.endsWith('--against snapshot avoids it'), more);
});

test('a plan with --until does not offer --against snapshot, here or remote: a historical view is verified against the log only', async () => {
  const plan = await planOf({ from: endOfDay(4), until: endOfDay(5) });
  for (const lines of [renderPlan(plan), renderRemoteReport({ status: 'planned', plan: JSON.parse(JSON.stringify(plan)) })!]) {
    const more = lineWith(lines, 'verification against the log restores');
    assert.ok(more?.includes('a rebuild with --until is verified against the log only'), more);
    assert.not.ok(more?.includes('--against snapshot'), more);
  }
});

test('a plan from an older rebuild function (no verification field) says the verification\'s restores are not counted', async () => {
  const { verification: _none, ...older } = await planOf({ from: endOfDay(4) });
  const lines = renderRemoteReport({ status: 'planned', plan: JSON.parse(JSON.stringify(older)) })!;
  assert.ok(lineWith(lines, 'which this plan (made by an older eventlake) does not count'), lines.join('\n'));
});

test.run();
