// A PITR restore's wait is bounded so that a rebuild function's invocation still answers `restoring` before its
// timeout. The bound counts from the restore's start: removing the empty target table first (a delete DynamoDB takes
// its time over) spends it too, and the wait for the restore gets only what is left, not the whole budget again.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteTableCommand, DescribeTableCommand, RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { TransientError } from '../../../domain/errors.ts';
import { inVirtualTime, refusedWith } from '../../support/virtual-time.ts';
import { ddb, G2, resetWorld, snap, stores, world } from './pitr-rebuild-fake.ts';

const test = suite('PITR restore: the wait budget');
test.before.each(() => {
  resetWorld();
  // Generation 2's table exists, empty (createGeneration made it); DynamoDB deletes it 1,000 ms after being asked.
  // The waits run in virtual time: in real time these bounds failed 2 runs in 3 beside other suites and a CPU hog.
  world.tables.set(G2, { status: 'ACTIVE', items: new Map() });
  ddb.on(DeleteTableCommand).callsFake((input) => {
    world.tables.set(input.TableName, { status: 'DELETING', items: new Map() });
    setTimeout(() => world.tables.delete(input.TableName), 1_000);
    return {};
  });
});

/** DescribeTable calls sent after the restore was asked for: the polls of the wait for it. */
function pollsAfterRestore(): number {
  const calls = ddb.calls().map((c) => c.args[0]);
  const asked = calls.findIndex((c) => c instanceof RestoreTableToPointInTimeCommand);
  return calls.slice(asked + 1).filter((c) => c instanceof DescribeTableCommand).length;
}

/** The restore's TransientError with a budget of `timeoutMs`, and the virtual time it took to answer. */
async function restoreWithin(timeoutMs: number): Promise<{ error: TransientError; took: number }> {
  const { snapshots } = stores();
  const timed = await inVirtualTime(() => snapshots.restore(snap, 2, { timeoutMs }));
  return { error: refusedWith(timed, TransientError), took: timed.elapsedMs };
}

test('the removal of the target spends the budget: the restore is waited for what is left, then the answer is still restoring', async () => {
  const { error, took } = await restoreWithin(1_200);
  assert.match(error.message, `snapshot ${snap.id} still restoring into table ${G2} after 1200 ms`);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 1);
  // Waiting the whole budget again after the removal takes over 2,000 ms.
  assert.ok(took <= 1_200, `answered within the budget (took ${took} ms)`);
});

test('what is left of the budget after the removal is waited for', async () => {
  const { took } = await restoreWithin(2_500);
  assert.ok(pollsAfterRestore() > 5, 'the restore is looked at again and again');
  // The removal takes 1,000 ms; answering then, without waiting for the restore, would take about that.
  assert.ok(took > 2_000 && took <= 2_500, `for the rest of the budget (took ${took} ms)`);
});

test.run();
