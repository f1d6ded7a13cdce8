// Snapshots on an endpoint without point-in-time recovery, and a restore DynamoDB refuses because PITR is off on the
// source table: each says why in DynamoDB's terms and what to do, including with the generation a refused restore leaves.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable } from 'node:stream';
import {
  DescribeTableCommand, DynamoDBClient, PointInTimeRecoveryUnavailableException, ResourceNotFoundException, RestoreTableToPointInTimeCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { StorageError } from '../../../domain/errors.ts';
import { DynamoDbPitrSnapshotStore } from '../../../adapters/aws/dynamodb-pitr-snapshot-store.ts';
import { SnapshotNotRestorableError } from '../../../projections/rebuild/snapshot-errors.ts';
import { rejects } from '../../support/async.ts';
import { ddb, marker, pitrSnapshots, resetWorld } from './pitr-restorable-fake.ts';

/**
 * A client whose endpoint answers every operation as DynamoDB Local answers the PITR ones (over HTTP, so the error
 * has the SDK's own shape); `sent` collects the operations asked for.
 */
function endpointWithoutPitr(sent: string[]): DynamoDBClient {
  const body = JSON.stringify({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  return new DynamoDBClient({
    region: 'eu-central-1', endpoint: 'http://localhost:8000', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        sent.push(String(request.headers['x-amz-target']).split('.').pop() ?? '');
        return { response: { statusCode: 400, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(body)]) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  });
}

const pitrTest = suite('snapshot take on an endpoint without PITR');

pitrTest('says snapshots need point-in-time recovery, which the endpoint does not offer, and what to do instead', async () => {
  const sent: string[] = [];
  const store = new DynamoDbPitrSnapshotStore({ client: endpointWithoutPitr(sent), controlTableName: 'control', tableFor: (p, g) => `eventlake-${p}-g${g}` });
  const error = await rejects(() => store.take('balances', 1, 7), StorageError);
  for (const part of ['snapshots need point-in-time recovery', 'http://localhost:8000 does not offer', 'eventlake-balances-g1', 'UnknownOperationException',
    'no snapshot was taken', 'real DynamoDB', 'eventlake rebuild --projection balances --from 0']) {
    assert.ok(error.message.includes(part), `${part} in: ${error.message}`);
  }
  assert.is((error.cause as Error).name, 'UnknownOperationException');
  assert.not.ok(sent.includes('PutItem'), `no marker written: ${sent.join(', ')}`);
});

pitrTest.run();

const restoreTest = suite('PITR restore refused: PITR off on the source table');
restoreTest.before.each(() => {
  resetWorld();
  const missing = () => new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: { httpStatusCode: 400 } });
  ddb.on(ScanCommand).rejects(missing());
  ddb.on(DescribeTableCommand).rejects(missing());
  ddb.on(RestoreTableToPointInTimeCommand).rejects(new PointInTimeRecoveryUnavailableException({ message: 'Point in time recovery is not enabled for table', $metadata: { httpStatusCode: 400 } }));
});

restoreTest('says point-in-time recovery is off on the source table, not that the table is gone or past its retention', async () => {
  const error = await rejects(() => pitrSnapshots().restore(marker(1, 10), 3), SnapshotNotRestorableError);
  assert.ok(error.message.includes('point-in-time recovery is off on eventlake-balances-g1'), error.message);
  assert.not.ok(error.message.includes('gone or past its PITR retention'), error.message);
});

restoreTest('names the generation the restore leaves empty, what the next rebuild does with it and how to drop it now', async () => {
  const error = await rejects(() => pitrSnapshots().restore(marker(1, 10), 3), SnapshotNotRestorableError);
  for (const part of ['generation 3 of balances, created for this restore, stays empty', 'unfinished', 'the next rebuild of balances drops and replaces it',
    'eventlake generations drop 3 --projection balances']) {
    assert.ok(error.message.includes(part), `${part} in: ${error.message}`);
  }
});

restoreTest('the CLI\'s rewording with the exact rerun, and the remote rebuild\'s report, keep the left generation', async () => {
  const error = await rejects(() => pitrSnapshots().restore(marker(1, 10), 3), SnapshotNotRestorableError);
  assert.ok(error.withRerun('eventlake rebuild --projection balances --from 0').message.includes('generations drop 3 --projection balances'));
  const reported = SnapshotNotRestorableError.fromReport(SnapshotNotRestorableError.name, error.message);
  assert.equal(reported?.left, { projection: 'balances', generation: 3 });
});

restoreTest('a verification\'s wording names no left generation: it drops its scratch generation first', async () => {
  const error = await rejects(() => pitrSnapshots().restore(marker(1, 10), 3), SnapshotNotRestorableError);
  assert.not.ok(error.forVerification().message.includes('generations drop'), error.forVerification().message);
});

restoreTest.run();
