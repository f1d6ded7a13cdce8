// The refusal to drop a generation DynamoDB is still restoring tells the operator how to see when to try again. The
// AWS CLI's `wait table-exists` gives up after 25 polls 20 s apart (about 8 minutes) while a PITR restore of a big
// table takes hours, so a hint to try again "when it returns" sends them back too early: the hint reads the status.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../../domain/errors.ts';
import { dropOtherGeneration } from '../../../projections/rebuild/generations.ts';
import { rejects } from '../../support/async.ts';
import { memoryCheckpoints } from '../../support/fakes/memory-checkpoints.ts';
import { G2, resetWorld, restoring, stores, world } from './pitr-rebuild-fake.ts';

const test = suite('generations drop of a table still restoring: when to try again');
test.before.each(() => {
  resetWorld();
  world.latest = 2;
  restoring(G2);
});

test('the refusal names a command that reads the table\'s status, not a waiter that gives up before a restore of hours ends', async () => {
  const error = await rejects(() => dropOtherGeneration({ store: stores().store, checkpoints: memoryCheckpoints().checkpoints }, 'balances', 2), TransientError);
  assert.match(error.message, `aws dynamodb describe-table --table-name ${G2} --query Table.TableStatus\` says ACTIVE`);
  assert.not.match(error.message, 'wait table-exists');
});

test.run();
