// S3EventLog's conditional writes and error mapping, with a mocked S3 client (s3rver ignores If-None-Match).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, InvalidObjectState, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { ArchivedEventError, EventConflictError, EventNotFoundError, TransientError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventKey, serializeEvent } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES, variant } from '../../support/samples.ts';

const client = new S3Client({ region: 'eu-west-1' });
const s3 = mockClient(client);
const delays: number[] = [];
const log = new S3EventLog({ client, bucket: 'lake', retry: { sleep: async (ms) => { delays.push(ms); }, random: () => 0.5 } });
const deposit = SAMPLES.cash_deposit!;
const withdrawal = SAMPLES.cash_withdrawal!;
const line = (e: DomainEvent) => `${serializeEvent(e)}\n`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function awsError(name: string, status: number, extra: Record<string, unknown> = {}): S3ServiceException {
  return Object.assign(new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name }), extra);
}
const noSuchKey = () => new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
const body = (text: string) => ({ Body: { transformToByteArray: async () => new Uint8Array(Buffer.from(text)) } }) as unknown as GetObjectCommandOutput;

const test = suite('S3EventLog conditional writes and error mapping');
test.before.each(() => {
  s3.reset();
  delays.length = 0;
});

test('an append checks the key, then creates the object with If-None-Match: * as NDJSON', async () => {
  s3.on(GetObjectCommand).rejects(noSuchKey());
  s3.on(PutObjectCommand).resolves({});
  const [r] = await log.append([deposit]);
  assert.is(r?.status, 'stored');
  assert.equal(s3.commandCalls(GetObjectCommand)[0]?.args[0].input, { Bucket: 'lake', Key: eventKey(deposit) });
  assert.equal(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input), [
    { Bucket: 'lake', Key: eventKey(deposit), Body: line(deposit), ContentType: 'application/x-ndjson', IfNoneMatch: '*', Metadata: { 'eventlake-sha256': sha256(line(deposit)) } },
  ]);
});

test('a 412 from a racing writer with the same bytes is a duplicate', async () => {
  s3.on(GetObjectCommand).rejectsOnce(noSuchKey()).resolves(body(line(deposit)));
  s3.on(PutObjectCommand).rejects(awsError('PreconditionFailed', 412));
  const [r] = await log.append([deposit]);
  assert.is(r?.status, 'duplicate');
});

test('a 412 from a racing writer with other bytes is an EventConflictError', async () => {
  s3.on(GetObjectCommand).rejectsOnce(noSuchKey()).resolves(body(line(variant('cash_deposit', { Amount: '1.00' }) as DomainEvent)));
  s3.on(PutObjectCommand).rejects(awsError('PreconditionFailed', 412));
  const error = await rejects(() => log.append([deposit]), EventConflictError);
  assert.is(error.key, eventKey(deposit));
});

test('a 409 ConditionalRequestConflict is retried until the write goes through', async () => {
  s3.on(GetObjectCommand).rejects(noSuchKey());
  s3.on(PutObjectCommand).rejectsOnce(awsError('ConditionalRequestConflict', 409)).resolves({});
  const [r] = await log.append([deposit]);
  assert.is(r?.status, 'stored');
  assert.is(s3.commandCalls(PutObjectCommand).length, 2);
});

test('a 503 SlowDown is retried with jittered, growing backoff', async () => {
  s3.on(GetObjectCommand).rejects(noSuchKey());
  s3.on(PutObjectCommand).rejectsOnce(awsError('SlowDown', 503)).rejectsOnce(awsError('SlowDown', 503)).resolves({});
  await log.append([deposit]);
  assert.is(s3.commandCalls(PutObjectCommand).length, 3);
  assert.equal(delays, [25, 50]); // half (random 0.5) of 50 ms, then of 100 ms
});

test('throttling that outlasts every attempt surfaces as TransientError', async () => {
  s3.on(GetObjectCommand).rejects(noSuchKey());
  s3.on(PutObjectCommand).rejects(awsError('SlowDown', 503));
  await rejects(() => log.append([deposit]), TransientError);
  assert.is(s3.commandCalls(PutObjectCommand).length, 6);
});

test('a batch with one conflicting identity sends no PutObject at all', async () => {
  s3.on(GetObjectCommand, { Key: eventKey(withdrawal) }).rejects(noSuchKey());
  s3.on(GetObjectCommand, { Key: eventKey(deposit) }).resolves(body(line(variant('cash_deposit', { Amount: '1.00' }) as DomainEvent)));
  await rejects(() => log.append([withdrawal, deposit]), EventConflictError);
  assert.is(s3.commandCalls(PutObjectCommand).length, 0);
});

test('a batch keeps at most 16 S3 calls in flight', async () => {
  let inFlight = 0;
  let peak = 0;
  const slow = async () => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, 2));
    inFlight--;
    throw noSuchKey();
  };
  s3.on(GetObjectCommand).callsFake(slow);
  s3.on(PutObjectCommand).resolves({});
  const events = Array.from({ length: 40 }, (_, i) => ({ ...deposit, RequestId: `3f1c2a9e-8b7d-4c6e-9f00-${String(i).padStart(12, '0')}` }));
  await log.append(events);
  assert.is(peak, 16);
});

test('an archived duplicate is recognised by its MD5 ETag without restoring it', async () => {
  s3.on(GetObjectCommand).rejects(new InvalidObjectState({ message: 'archived', $metadata: { httpStatusCode: 403 }, StorageClass: 'GLACIER' }));
  s3.on(HeadObjectCommand).resolves({ ETag: `"${createHash('md5').update(line(deposit)).digest('hex')}"`, ContentLength: line(deposit).length });
  const [r] = await log.append([deposit]);
  assert.is(r?.status, 'duplicate');
  assert.is(s3.commandCalls(PutObjectCommand).length, 0);
});

test('an archived duplicate under SSE-KMS (ETag not an MD5) is recognised by the SHA-256 stored with it', async () => {
  s3.on(GetObjectCommand).rejects(new InvalidObjectState({ message: 'archived', $metadata: { httpStatusCode: 403 }, StorageClass: 'GLACIER' }));
  s3.on(HeadObjectCommand).resolves({ ETag: '"3b5d6f0e8c2a4e1f9a7b6c5d4e3f2a1b"', ContentLength: line(deposit).length, Metadata: { 'eventlake-sha256': sha256(line(deposit)) } });
  const [r] = await log.append([deposit]);
  assert.is(r?.status, 'duplicate');
  assert.is(s3.commandCalls(PutObjectCommand).length, 0);
});

test('an archived object of the same length whose stored SHA-256 differs is a conflict, without a restore', async () => {
  s3.on(GetObjectCommand).rejects(new InvalidObjectState({ message: 'archived', $metadata: { httpStatusCode: 403 }, StorageClass: 'DEEP_ARCHIVE' }));
  s3.on(HeadObjectCommand).resolves({ ContentLength: line(deposit).length, Metadata: { 'eventlake-sha256': sha256(line(deposit).replace('cash', 'CASH')) } });
  await rejects(() => log.append([deposit]), EventConflictError);
  assert.is(s3.commandCalls(PutObjectCommand).length, 0);
});

test('an archived object without a stored SHA-256 whose ETag is no MD5 of the bytes cannot be compared: ArchivedEventError', async () => {
  s3.on(GetObjectCommand).rejects(new InvalidObjectState({ message: 'archived', $metadata: { httpStatusCode: 403 }, StorageClass: 'GLACIER' }));
  s3.on(HeadObjectCommand).resolves({ ETag: '"3b5d6f0e8c2a4e1f9a7b6c5d4e3f2a1b"', ContentLength: line(deposit).length });
  await rejects(() => log.append([deposit]), ArchivedEventError);
});

test('reading an archived object throws ArchivedEventError with its key and storage class', async () => {
  s3.on(GetObjectCommand).rejects(new InvalidObjectState({ message: 'archived', $metadata: { httpStatusCode: 403 }, StorageClass: 'DEEP_ARCHIVE' }));
  const error = await rejects(() => log.read({ key: eventKey(deposit) }), ArchivedEventError);
  assert.equal([error.key, error.storageClass], [eventKey(deposit), 'DEEP_ARCHIVE']);
});

test('reading a missing key throws EventNotFoundError', async () => {
  s3.on(GetObjectCommand).rejects(noSuchKey());
  await rejects(() => log.read({ key: eventKey(deposit) }), EventNotFoundError);
});

test('a segment line is fetched with an inclusive byte range', async () => {
  s3.on(GetObjectCommand).resolves(body(serializeEvent(withdrawal)));
  assert.equal(await log.read({ key: 'events/x/segment.ndjson', offset: 100, length: 50 }), withdrawal);
  assert.equal(s3.commandCalls(GetObjectCommand)[0]?.args[0].input, { Bucket: 'lake', Key: 'events/x/segment.ndjson', Range: 'bytes=100-149' });
});

test('a segment is created with If-None-Match: *, and a racing writer\'s other bytes are a conflict', async () => {
  const key = 'events/year=2009/month=02/day=13/hour=23/segment.ndjson';
  s3.on(GetObjectCommand).rejectsOnce(noSuchKey()).resolves(body(line(withdrawal)));
  s3.on(PutObjectCommand).rejects(awsError('PreconditionFailed', 412));
  await rejects(() => log.writeSegment(key, [serializeEvent(deposit)]), EventConflictError);
  assert.equal(s3.commandCalls(PutObjectCommand)[0]?.args[0].input, {
    Bucket: 'lake', Key: key, Body: line(deposit), ContentType: 'application/x-ndjson', IfNoneMatch: '*', Metadata: { 'eventlake-sha256': sha256(line(deposit)) },
  });
});

test('list follows continuation tokens', async () => {
  s3.on(ListObjectsV2Command).resolvesOnce({ Contents: [{ Key: 'events/a', Size: 1 }], IsTruncated: true, NextContinuationToken: 't1' })
    .resolvesOnce({ Contents: [{ Key: 'events/b', Size: 2 }], IsTruncated: false });
  const keys: string[] = [];
  for await (const o of log.list('events/')) keys.push(o.key);
  assert.equal(keys, ['events/a', 'events/b']);
  assert.equal(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input), [
    { Bucket: 'lake', Prefix: 'events/' }, { Bucket: 'lake', Prefix: 'events/', ContinuationToken: 't1' },
  ]);
});

test('remove deletes in quiet chunks of 1000 keys', async () => {
  s3.on(DeleteObjectsCommand).resolves({});
  await log.remove(Array.from({ length: 2500 }, (_, i) => `events/k${i}`));
  const calls = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete!);
  assert.equal(calls.map((d) => [d.Objects!.length, d.Quiet]), [[1000, true], [1000, true], [500, true]]);
});

test('remove retries only the keys S3 reports as throttled', async () => {
  s3.on(DeleteObjectsCommand).resolvesOnce({ Errors: [{ Key: 'events/b', Code: 'SlowDown', Message: 'slow' }] }).resolves({});
  await log.remove(['events/a', 'events/b']);
  assert.equal(s3.commandCalls(DeleteObjectsCommand)[1]?.args[0].input.Delete?.Objects, [{ Key: 'events/b' }]);
});

test.run();
