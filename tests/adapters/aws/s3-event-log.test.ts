// S3EventLog against a real S3 API: the EventLog contract on s3rver (or on a real endpoint with EVENTLAKE_AWS_IT=1),
// plus what the contract cannot see, such as listings that span pages.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { SHA256_METADATA, sha256Hex } from '../../../adapters/aws/s3-objects.ts';
import { eventKey } from '../../../domain/event.ts';
import { eventLogContract } from '../../contracts/event-log.contract.ts';
import { SAMPLES } from '../../support/samples.ts';
import { s3Target } from '../../support/s3rver.ts';

async function freshLog(options: { listPageSize?: number } = {}): Promise<S3EventLog> {
  const target = await s3Target();
  await target.empty();
  return new S3EventLog({ client: target.client, bucket: target.bucket, ...options });
}

const test = suite('S3EventLog on an S3 endpoint');

test('list pages through every object under a prefix, in key order', async () => {
  const log = await freshLog({ listPageSize: 2 });
  const events = ['cash_deposit', 'cash_withdrawal', 'incoming_payment', 'inter_account_transfer', 'verify_cash_deposit'].map((t) => SAMPLES[t]!);
  await log.append(events);
  const keys: string[] = [];
  for await (const o of log.list('events/')) keys.push(o.key);
  assert.equal(keys, events.map(eventKey).sort());
});

test('an appended object carries the SHA-256 of its bytes as metadata, which HeadObject returns', async () => {
  const target = await s3Target();
  await target.empty();
  const log = new S3EventLog({ client: target.client, bucket: target.bucket });
  const [stored] = await log.append([SAMPLES['cash_deposit']!]);
  const head = await target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: stored!.key }));
  assert.is(head.Metadata?.[SHA256_METADATA], sha256Hex(await log.readObjectBytes(stored!.key)));
});

test.run();

eventLogContract(`S3EventLog (${process.env.EVENTLAKE_AWS_IT === '1' ? 'integration endpoint' : 's3rver'})`, async () => ({ subject: await freshLog() }));
