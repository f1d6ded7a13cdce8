// `eventlake generations drop` of a generation whose table DynamoDB is still restoring (a rebuild killed during its
// snapshot restore left it): DynamoDB refuses to delete a CREATING table, and the operator is told so and when to
// try again, not shown the SDK's ResourceInUseException; the generation stays listed until it is really gone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { TransientError } from '../../../domain/errors.ts';
import { dropOtherGeneration } from '../../../projections/rebuild/generations.ts';
import { rejects } from '../../support/async.ts';
import { memoryCheckpoints } from '../../support/fakes/memory-checkpoints.ts';
import { ddb, resetWorld, restored, restoring, stores, world } from './pitr-rebuild-fake.ts';

const G2 = 'eventlake-balances-g2';
const deps = () => ({ store: stores().store, checkpoints: memoryCheckpoints().checkpoints });

const test = suite('generations drop: a generation DynamoDB is still restoring');
test.before.each(() => {
  resetWorld();
  world.latest = 2;
  restoring(G2);
});

test('is refused with TRANSIENT naming the table and when to try again; it is not marked dropped', async () => {
  const error = await rejects(() => dropOtherGeneration(deps(), 'balances', 2), TransientError);
  assert.is(error.code, 'TRANSIENT');
  assert.match(error.message, `table ${G2} is still being restored (a PITR restore of a big table takes hours), and DynamoDB deletes a table only once that is done`);
  assert.match(error.message, `try again once \`aws dynamodb describe-table --table-name ${G2} --query Table.TableStatus\` says ACTIVE`);
  assert.equal(ddb.commandCalls(DeleteTableCommand).map((c) => c.args[0].input), [{ TableName: G2 }]);
  assert.equal(world.dropped, []);
  assert.ok(world.tables.has(G2));
});

test('once the restore is done, the same drop deletes the table and marks the generation dropped', async () => {
  await rejects(() => dropOtherGeneration(deps(), 'balances', 2), TransientError);
  restored(G2);
  assert.equal(await dropOtherGeneration(deps(), 'balances', 2), { projection: 'balances', generation: 2, state: 'unknown' });
  assert.equal([world.tables.has(G2), world.dropped], [false, [2]]);
});

test.run();
