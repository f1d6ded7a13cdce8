// A PITR restore's wait is bounded so that a rebuild function's invocation still answers `restoring` before its
// timeout. The bound counts from the restore's start: removing the empty target table first (a delete DynamoDB takes
// its time over) spends it too, and the wait for the restore gets only what is left, not the whole budget again.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteTableCommand, DescribeTableCommand, RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { TransientError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { ddb, G2, resetWorld, snap, stores, world } from './pitr-rebuild-fake.ts';

const test = suite('PITR restore: the wait budget');
test.before.each(() => {
  resetWorld();
  // Generation 2's table exists, empty (createGeneration made it); DynamoDB deletes it 400 ms after being asked
  // (seen gone at the removal's poll of 511 ms).
  world.tables.set(G2, { status: 'ACTIVE', items: new Map() });
  ddb.on(DeleteTableCommand).callsFake((input) => {
    world.tables.set(input.TableName, { status: 'DELETING', items: new Map() });
    setTimeout(() => world.tables.delete(input.TableName), 400);
    return {};
  });
});

/** DescribeTable calls sent after the restore was asked for: the polls of the wait for it. */
function pollsAfterRestore(): number {
  const calls = ddb.calls().map((c) => c.args[0]);
  const asked = calls.findIndex((c) => c instanceof RestoreTableToPointInTimeCommand);
  return calls.slice(asked + 1).filter((c) => c instanceof DescribeTableCommand).length;
}

test('the removal of the target spends the budget: the restore is waited for what is left, then the answer is still restoring', async () => {
  const { snapshots } = stores();
  const started = Date.now();
  const error = await rejects(() => snapshots.restore(snap, 2, { timeoutMs: 600 }), TransientError);
  const took = Date.now() - started;
  assert.match(error.message, `snapshot ${snap.id} still restoring into table ${G2} after 600 ms`);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 1);
  // Waiting the whole budget again after the removal took over 1,000 ms.
  assert.ok(took < 800, `answered within the budget (took ${took} ms)`);
});

test('what is left of the budget after the removal is waited for', async () => {
  const { snapshots } = stores();
  const started = Date.now();
  await rejects(() => snapshots.restore(snap, 2, { timeoutMs: 1_500 }), TransientError);
  const took = Date.now() - started;
  assert.ok(pollsAfterRestore() > 5, 'the restore is looked at again and again');
  assert.ok(took > 900 && took < 1_500 + 300, `for the rest of the budget (took ${took} ms)`);
});

test.run();
