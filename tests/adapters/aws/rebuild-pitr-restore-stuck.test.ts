// A restore a killed rebuild left may end in a table that never becomes ACTIVE: one that lost access to its KMS key
// (INACCESSIBLE_ENCRYPTION_CREDENTIALS), or one someone is deleting. Waiting for it answered `still restoring` at every
// run, for ever: the first is refused at once naming the table and the fix, the second is no restore to adopt.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { StorageError } from '../../../domain/errors.ts';
import { inVirtualTime, refusedWith } from '../../support/virtual-time.ts';
import { ddb, G2, killedDuringRestore, pitrCoordinator, plan, resetWorld, restored, snap, world } from './pitr-rebuild-fake.ts';

const test = suite('rebuild: an adopted PITR restore whose table will not become ACTIVE');
test.before.each(resetWorld);

test('a restore of the plan\'s snapshot whose table cannot use its KMS key is refused with STORAGE_FAILED naming the table and the fix, without waiting', async () => {
  const { rebuilder, positions } = pitrCoordinator(2_000);
  killedDuringRestore(positions);
  restored(G2, 'INACCESSIBLE_ENCRYPTION_CREDENTIALS');
  // In virtual time: a real-time bound would tell a wait from none only on a machine that is not loaded.
  const timed = await inVirtualTime(() => rebuilder.rebuild(plan));
  const error = refusedWith(timed, StorageError);
  assert.is(timed.elapsedMs, 0, 'refused at the first look, not after waiting for the restore');
  assert.is(error.code, 'STORAGE_FAILED');
  assert.match(error.message, `snapshot ${snap.id} restored into table ${G2}, which is INACCESSIBLE_ENCRYPTION_CREDENTIALS and will not become ACTIVE by waiting`);
  assert.match(error.message, 'give the table access to its KMS key again, or drop the generation (eventlake generations drop 2 --projection balances)');
  assert.equal(world.dropped, []);
});

test('a restore of the plan\'s snapshot whose table is being deleted is not adopted: it is dropped and the snapshot restored into a new generation', async () => {
  const { rebuilder, positions } = pitrCoordinator(2_000);
  killedDuringRestore(positions);
  restored(G2, 'DELETING');
  setTimeout(() => restored('eventlake-balances-g3'), 20);
  const report = await rebuilder.rebuild(plan);
  assert.equal([report.generation, report.resumed, world.dropped], [3, false, [2]]);
  assert.equal(ddb.commandCalls(RestoreTableToPointInTimeCommand).map((c) => c.args[0].input.TargetTableName), ['eventlake-balances-g3']);
});

test.run();
