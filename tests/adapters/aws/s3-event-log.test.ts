// S3EventLog against a real S3 API (s3rver locally, a real endpoint with EVENTLAKE_AWS_IT=1): keys, reads, listings.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { EventConflictError, EventNotFoundError } from '../../../domain/errors.ts';
import { eventKey, partitionPrefix, segmentKey, serializeEvent } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES, variant } from '../../support/samples.ts';
import { s3Target, stopS3 } from '../../support/s3rver.ts';
import type { DomainEvent } from '../../../domain/event.ts';

const test = suite('S3EventLog on an S3 endpoint');
const deposit = SAMPLES.cash_deposit!;
const withdrawal = SAMPLES.cash_withdrawal!;

async function freshLog(options: { listPageSize?: number } = {}): Promise<S3EventLog> {
  const target = await s3Target();
  await target.empty();
  return new S3EventLog({ client: target.client, bucket: target.bucket, ...options });
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test.after(() => stopS3());

test('an appended event is stored under the local layout key, as its canonical line', async () => {
  const log = await freshLog();
  const [r] = await log.append([deposit]);
  assert.equal(r, { id: `cash_deposit_${deposit.RequestId}`, key: eventKey(deposit), status: 'stored', size: serializeEvent(deposit).length + 1 });
  assert.equal(await log.read({ key: eventKey(deposit) }), deposit);
});

test('appending the same event again reports a duplicate', async () => {
  const log = await freshLog();
  await log.append([deposit]);
  const [again] = await log.append([deposit]);
  assert.is(again?.status, 'duplicate');
});

test('the same identity with other content is a conflict, and nothing of the batch is written', async () => {
  const log = await freshLog();
  await log.append([deposit]);
  const changed = variant('cash_deposit', { Amount: '999.99' }) as DomainEvent;
  await rejects(() => log.append([withdrawal, changed]), EventConflictError);
  await rejects(() => log.read({ key: eventKey(withdrawal) }), EventNotFoundError);
});

test('reading a key that does not exist throws EventNotFoundError', async () => {
  const log = await freshLog();
  await rejects(() => log.read({ key: 'events/year=2001/month=01/day=01/hour=00/x_y.event' }), EventNotFoundError);
});

test('a segment line is read with a byte range, and readObject locates every line', async () => {
  const log = await freshLog();
  const key = segmentKey(partitionPrefix(deposit.EventTimeStamp));
  const { locations } = await log.writeSegment(key, [serializeEvent(deposit), serializeEvent(withdrawal)]);
  assert.equal(await log.read(locations[1]!), withdrawal);
  const located = await collect(log.readObject(key));
  assert.equal(located.map((l) => l.location), locations);
  assert.equal(located.map((l) => l.event), [deposit, withdrawal]);
});

test('list pages through every object under a prefix, in key order', async () => {
  const log = await freshLog({ listPageSize: 2 });
  const events = ['cash_deposit', 'cash_withdrawal', 'incoming_payment', 'inter_account_transfer', 'verify_cash_deposit'].map((t) => SAMPLES[t]!);
  await log.append(events);
  const keys = (await collect(log.list('events/'))).map((o) => o.key);
  assert.equal(keys, events.map(eventKey).sort());
});

test('removed objects are gone from reads and listings', async () => {
  const log = await freshLog();
  await log.append([deposit, withdrawal]);
  await log.remove([eventKey(deposit)]);
  assert.equal((await collect(log.list('events/'))).map((o) => o.key), [eventKey(withdrawal)]);
});

test.run();
