// `eventlake check --target aws` after a compaction stopped between relocating and removing: the originals it left
// are reported as compaction leftovers, and the stack is whole (exit 0), not damaged.

import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbEventIndex } from '../../adapters/aws/dynamodb-event-index.ts';
import { S3EventLog } from '../../adapters/aws/s3-event-log.ts';
import { partitionPrefix } from '../../domain/event.ts';
import { compactHour } from '../../projections/compactor.ts';
import { runCli as cli } from '../security/cli-run.ts';
import { rejects } from '../support/async.ts';
import { stack, STACK_ENV } from '../support/aws-cli-stack.ts';
import { s3Target } from '../support/s3rver.ts';
import { SAMPLES } from '../support/samples.ts';

class SimulatedCrash extends Error {}

/** The stack's log and index, as the compaction function reaches them (the tables were made under s3rver's key). */
async function stackPorts(config: string): Promise<{ log: S3EventLog; index: DynamoDbEventIndex }> {
  const { indexTable } = JSON.parse(readFileSync(config, 'utf8')) as { indexTable: string };
  const s3 = await s3Target();
  const dynamodb = new DynamoDBClient({
    endpoint: process.env['AWS_ENDPOINT_URL_DYNAMODB']!, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return { log: new S3EventLog({ client: s3.client, bucket: s3.bucket }), index: new DynamoDbEventIndex({ client: dynamodb, tableName: indexTable }) };
}

const test = suite('eventlake check --target aws, compaction leftovers');
test.after.each(() => {
  for (const name of STACK_ENV) delete process.env[name];
});

test('one-event objects a stopped compaction relocated but did not remove leave the stack whole: exit 0, named as leftovers', async () => {
  const { config, bucket } = await stack(3);
  const hour = partitionPrefix(SAMPLES['cash_deposit']!.EventTimeStamp);
  const afterRelocate = () => { throw new SimulatedCrash('after relocating, before removing'); };
  await rejects(async () => compactHour(await stackPorts(config), hour, { afterRelocate }), SimulatedCrash);
  const r = await cli(['--config', config, 'check']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, `s3://${bucket}: whole`);
  assert.match(r.stdout, /compactionLeftover: 3 \(harmless\) — /);
  assert.not.match(r.stdout, 'extraCopy');
});

test.run();
