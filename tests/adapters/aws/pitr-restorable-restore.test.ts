// A marker restorable when the rebuild was planned may not be by its restore (its table dropped meanwhile, or its
// retention passed during a long wait): the refusal names the way forward, a new plan, which skips it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DescribeTableCommand, PointInTimeRecoveryUnavailableException, ResourceNotFoundException, RestoreTableToPointInTimeCommand, ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { ddb, marker, pitrSnapshots, resetWorld } from './pitr-restorable-fake.ts';

const test = suite('PITR restore of a marker no longer restorable');
test.before.each(resetWorld);

test('the refusal keeps its reason and says to run the same rebuild again, which plans from a restorable snapshot or the log\'s start', async () => {
  const missing = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });
  ddb.on(ScanCommand).rejects(missing());
  ddb.on(DescribeTableCommand).rejects(missing());
  ddb.on(RestoreTableToPointInTimeCommand).rejects(new PointInTimeRecoveryUnavailableException({ message: 'PITR is not enabled', $metadata: {} }));
  const error = await rejects(() => pitrSnapshots().restore(marker(1, 10), 3), InvalidArgumentError);
  assert.is(error.message, 'snapshot: snapshot balances-g1-10d cannot be restored from eventlake-balances-g1 (PointInTimeRecoveryUnavailableException): ' +
    'point-in-time recovery is off on eventlake-balances-g1 (turned off since the snapshot was taken), so DynamoDB keeps no history to restore it from; ' +
    'generation 3 of balances, created for this restore, stays empty (generations list shows it unfinished): the next rebuild of balances drops and ' +
    'replaces it, or drop it now (eventlake generations drop 3 --projection balances); ' +
    'run the same eventlake rebuild command again: it plans from the newest snapshot DynamoDB can ' +
    'still restore, or from the start of the log when there is none (eventlake snapshot list tells which are not restorable)');
});

test.run();
