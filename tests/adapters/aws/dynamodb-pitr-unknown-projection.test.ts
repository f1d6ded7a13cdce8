// On AWS as locally, snapshots of a projection the lake does not have are refused by name (InvalidArgumentError)
// before any request: not listed as none, and no take turning PITR on for a table no projection has.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbPitrSnapshotStore } from '../../../adapters/aws/dynamodb-pitr-snapshot-store.ts';
import { openAwsEventlake } from '../../../adapters/aws/open-aws-eventlake.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { SnapshotInfo } from '../../../domain/ports/snapshot-store.ts';
import { answeringClients, NO_BUCKET, type Answer } from '../../support/answering-clients.ts';
import { rejects } from '../../support/async.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const snapshots = new DynamoDbPitrSnapshotStore({ client, controlTableName: 'control', tableFor: (n, g) => `eventlake-${n}-g${g}`, projections: ['balances', 'statement'] });
const nope: SnapshotInfo = { id: 'nope-g1-x', projection: 'nope', generation: 1, takenAt: 1_700_000_000_000, highWaterMark: 1 };

const refusedUnsent = async (call: () => Promise<unknown>) => {
  const error = await rejects(call, InvalidArgumentError);
  assert.is(error.argument, 'projection');
  assert.match(error.message, 'unknown projection "nope": use one of balances, statement');
  assert.is(ddb.calls().length, 0, 'no request was sent');
};

const test = suite('DynamoDbPitrSnapshotStore: a projection the lake does not have');
test.before.each(() => { ddb.reset(); });

test('list refuses it instead of answering no snapshots', () => refusedUnsent(() => snapshots.list('nope')));
test('take refuses it before turning PITR on for its table', () => refusedUnsent(() => snapshots.take('nope', 1, 0)));
test('latestAtOrBefore refuses it', () => refusedUnsent(() => snapshots.latestAtOrBefore('nope', Date.now())));
test('restore refuses a snapshot of it before starting a restore', () => refusedUnsent(() => snapshots.restore(nope, 2)));
test('remove refuses a snapshot of it', () => refusedUnsent(() => snapshots.remove(nope)));
test('restoreOf and exportSnapshot refuse a snapshot of it', async () => {
  await refusedUnsent(() => snapshots.restoreOf(nope, 2));
  await refusedUnsent(() => snapshots.exportSnapshot(nope, 'bucket', 'prefix/'));
});

test('a projection the lake has is still listed', async () => {
  ddb.on(QueryCommand).resolves({ Items: [] });
  assert.equal(await snapshots.list('balances'), []);
});

test.run();

const lake = suite('openAwsEventlake: snapshots of a projection the lake does not have');

lake('snapshots.list and snapshots.take refuse it naming the projections there are, its own ones too', async () => {
  const unsent: Answer = { status: 500, body: '{}' };
  const runtime = await openAwsEventlake({
    region: 'eu-west-3', bucket: 'b', indexTable: 'i', controlTable: 'c', clients: answeringClients({ s3: () => NO_BUCKET, dynamodb: () => unsent }),
    projections: [{ ...balancesProjection, name: 'tally' }],
  }, {});
  try {
    const listed = await rejects(() => runtime.snapshots.list('nope'), InvalidArgumentError);
    assert.match(listed.message, 'use one of balances, statement, tally');
    await rejects(() => runtime.snapshots.take('nope', 1, 0), InvalidArgumentError);
  } finally {
    await runtime.close();
  }
});

lake.run();
