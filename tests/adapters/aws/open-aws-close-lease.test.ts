// close() of the AWS runtime while a run holds a lease in its control table (a rebuild through the CLI's --target
// aws): the run cannot go on once its calls refuse, so close() frees its lease; kept, the next rebuild of the stack
// was refused as in progress until the lease expired (5 minutes).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { openAwsEventlake } from '../../../adapters/aws/open-aws-eventlake.ts';
import { RebuildLease } from '../../../projections/rebuild/rebuild-lease.ts';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const s3 = new S3Client({ region: 'eu-central-1', credentials });
const dynamodb = new DynamoDBClient({ region: 'eu-central-1', credentials });
const ddb = mockClient(dynamodb);
mockClient(s3);

const test = suite('AWS runtime: close() and the leases held in it');

test('a rebuild lease still held at close() is written back free before the clients go', async () => {
  ddb.on(GetItemCommand).resolves({});
  ddb.on(PutItemCommand).resolves({});
  const aws = await openAwsEventlake({
    region: 'eu-central-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control', clients: { s3, dynamodb },
  }, {});
  await RebuildLease.acquire(aws.checkpoints, 'balances'); // a rebuild in progress: never released by its run
  const writes = () => ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.['pos']?.N);
  assert.is(writes().filter((n) => n === '0').length, 0);
  await aws.close();
  assert.is(writes().filter((n) => n === '0').length, 1, 'the lease was written back as 0 (free)');
});

test.run();
