// The rebuild Lambda's path under the rebuild lease, kept in DynamoDB (DynamoDB Local): an invocation that answers
// `restoring` releases it, so the next invocation resumes; one that finds the lease held fails at once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { coordinatorRebuild, RESTORE_MARGIN_MS } from '../../../adapters/aws/lambda/create-rebuild.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { RebuildInProgressError } from '../../../domain/projection-errors.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { RebuildLease, rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('rebuild Lambda and the rebuild lease');
const RESTORE_MS = 3 * 3_600_000;

/** A coordinator over in-memory ports whose archive takes hours to restore, with its checkpoints in DynamoDB. */
async function setup() {
  const { lake } = await buildScenario({ restoreDelayMs: RESTORE_MS });
  const db = await dynamoDb();
  const checkpoints = new DynamoDbCheckpointStore({ client: db.client, controlTableName: await db.createTable(CONTROL_TABLE, 'control') });
  const coordinator = new RebuildCoordinator(Object.assign(Object.create(lake) as MemoryLake, { checkpoints }), lake.projections);
  // No time left to wait for restores: the invocation answers `restoring` at the first pending object.
  const invoke = () => coordinatorRebuild(coordinator)({ projection: 'balances', from: 0, dryRun: false }, { remainingMs: () => RESTORE_MARGIN_MS });
  return { lake, checkpoints, invoke };
}

test('an invocation that answers restoring releases the lease, and the next one, after the restores, resumes and promotes', async () => {
  const { lake, checkpoints, invoke } = await setup();
  const first = await invoke() as { status: string };
  assert.is(first.status, 'restoring');
  assert.is(await checkpoints.get(rebuildLeaseName('balances')), 0);
  lake.clock += RESTORE_MS;
  const next = await invoke() as { status: string; built: { resumed: boolean } };
  assert.is(next.status, 'promoted');
  assert.ok(next.built.resumed);
});

test('an invocation while another rebuild of the projection holds the lease fails with RebuildInProgressError', async () => {
  const { checkpoints, invoke } = await setup();
  await RebuildLease.acquire(checkpoints, 'balances');
  const error = await rejects(invoke, RebuildInProgressError);
  assert.match(error.message, 'projection balances');
});

test.run();
