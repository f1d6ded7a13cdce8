// The rebuild function verifies against the log, always: its dry run's plan counts what that restores beyond the replay.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { coordinatorRebuild } from '../../../adapters/aws/lambda/create-rebuild.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { RebuildPlan } from '../../../projections/rebuild/plan.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('rebuild function: plan of the verification');

test('a dry run from a snapshot after every archived hour plans the verification against the log to restore them all', async () => {
  const { lake, endOfDay } = await buildScenario();
  const report = await coordinatorRebuild(new RebuildCoordinator(lake, lake.projections))({ projection: 'balances', from: endOfDay(4), dryRun: true }) as { status: string; plan: RebuildPlan };
  const archived = (await lake.index.objects()).filter((o) => o.storageClass !== 'STANDARD').length;
  assert.is(report.status, 'planned');
  assert.equal(report.plan.verification?.against, ['log']);
  assert.is(report.plan.verification!.restores.GLACIER.objects + report.plan.verification!.restores.DEEP_ARCHIVE.objects, archived);
});

test.run();
