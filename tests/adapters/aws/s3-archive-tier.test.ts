// S3ArchiveTier: storage state from HeadObject, RestoreObject inputs and errors, transitions, lifecycle rules.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CopyObjectCommand, HeadObjectCommand, RestoreObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { lifecycleRules, parseRestoreHeader, S3ArchiveTier } from '../../../adapters/aws/s3-archive-tier.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { ArchivedEventError, EventNotFoundError, InvalidArgumentError, RestoreRequestError, StorageError, UnsupportedOnTargetError } from '../../../domain/errors.ts';
import { eventKey } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { s3Target, stopS3 } from '../../support/s3rver.ts';

const client = new S3Client({ region: 'eu-west-1' });
const s3 = mockClient(client);
const tier = new S3ArchiveTier({ client, bucket: 'lake', retry: { sleep: async () => {} } });
const awsError = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });

const header = suite('parseRestoreHeader');

header('no header means no restore was requested', () => {
  assert.equal(parseRestoreHeader(undefined), { restore: 'NONE' });
});

header('ongoing-request="true" means the restore is running', () => {
  assert.equal(parseRestoreHeader('ongoing-request="true"'), { restore: 'RESTORING' });
});

header('ongoing-request="false" with an expiry date means a readable copy until that date', () => {
  assert.equal(parseRestoreHeader('ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"'), { restore: 'RESTORED', expiresAt: Date.UTC(2012, 11, 21) });
});

header.run();

const storage = suite('S3ArchiveTier.storage');
storage.before.each(() => { s3.reset(); });

storage('an object without StorageClass is STANDARD and needs no restore', async () => {
  s3.on(HeadObjectCommand).resolves({});
  assert.equal(await tier.storage(['events/a']), [{ key: 'events/a', storageClass: 'STANDARD', restore: 'NONE' }]);
  assert.equal(s3.commandCalls(HeadObjectCommand)[0]?.args[0].input, { Bucket: 'lake', Key: 'events/a' });
});

storage('a GLACIER object being restored is RESTORING', async () => {
  s3.on(HeadObjectCommand).resolves({ StorageClass: 'GLACIER', Restore: 'ongoing-request="true"' });
  assert.equal(await tier.storage(['events/a']), [{ key: 'events/a', storageClass: 'GLACIER', restore: 'RESTORING' }]);
});

storage('a restored DEEP_ARCHIVE object reports when its copy expires', async () => {
  s3.on(HeadObjectCommand).resolves({ StorageClass: 'DEEP_ARCHIVE', Restore: 'ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"' });
  assert.equal(await tier.storage(['events/a']), [{ key: 'events/a', storageClass: 'DEEP_ARCHIVE', restore: 'RESTORED', restoreExpiresAt: Date.UTC(2012, 11, 21) }]);
});

storage('a missing object throws EventNotFoundError', async () => {
  s3.on(HeadObjectCommand).rejects(awsError('NotFound', 404));
  await rejects(() => tier.storage(['events/a']), EventNotFoundError);
});

storage.run();

const restore = suite('S3ArchiveTier.restore');
restore.before.each(() => { s3.reset(); });

restore('each archived object gets a RestoreObject with its days and retrieval tier', async () => {
  s3.on(HeadObjectCommand, { Key: 'events/g' }).resolves({ StorageClass: 'GLACIER' });
  s3.on(HeadObjectCommand, { Key: 'events/d' }).resolves({ StorageClass: 'DEEP_ARCHIVE' });
  s3.on(RestoreObjectCommand).resolves({});
  await tier.restore(['events/g', 'events/d'], { tier: 'Bulk', days: 2 });
  assert.equal(s3.commandCalls(RestoreObjectCommand).map((c) => c.args[0].input), [
    { Bucket: 'lake', Key: 'events/g', RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: 'Bulk' } } },
    { Bucket: 'lake', Key: 'events/d', RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: 'Bulk' } } },
  ]);
});

restore('a STANDARD object among the keys is rejected before any RestoreObject is sent', async () => {
  s3.on(HeadObjectCommand, { Key: 'events/hot' }).resolves({});
  s3.on(HeadObjectCommand, { Key: 'events/cold' }).resolves({ StorageClass: 'GLACIER' });
  await rejects(() => tier.restore(['events/cold', 'events/hot'], { tier: 'Bulk', days: 2 }), RestoreRequestError);
  assert.is(s3.commandCalls(RestoreObjectCommand).length, 0);
});

restore('a restore already in progress counts as success', async () => {
  s3.on(HeadObjectCommand).resolves({ StorageClass: 'GLACIER' });
  s3.on(RestoreObjectCommand).rejects(awsError('RestoreAlreadyInProgress', 409));
  await tier.restore(['events/a'], { tier: 'Standard', days: 1 });
  assert.is(s3.commandCalls(RestoreObjectCommand).length, 1);
});

restore('Expedited from DEEP_ARCHIVE is rejected before any RestoreObject is sent', async () => {
  s3.on(HeadObjectCommand, { Key: 'events/g' }).resolves({ StorageClass: 'GLACIER' });
  s3.on(HeadObjectCommand, { Key: 'events/d' }).resolves({ StorageClass: 'DEEP_ARCHIVE' });
  await rejects(() => tier.restore(['events/g', 'events/d'], { tier: 'Expedited', days: 1 }), RestoreRequestError);
  assert.is(s3.commandCalls(RestoreObjectCommand).length, 0);
});

restore('unavailable Expedited capacity is a RestoreRequestError', async () => {
  s3.on(HeadObjectCommand).resolves({ StorageClass: 'GLACIER' });
  s3.on(RestoreObjectCommand).rejects(awsError('GlacierExpeditedRetrievalNotAvailable', 503));
  await rejects(() => tier.restore(['events/a'], { tier: 'Expedited', days: 1 }), RestoreRequestError);
});

restore('a restore for less than one whole day is rejected', async () => {
  await rejects(() => tier.restore(['events/a'], { tier: 'Bulk', days: 0 }), InvalidArgumentError);
  assert.is(s3.commandCalls(HeadObjectCommand).length, 0);
});

restore.run();

const transition = suite('S3ArchiveTier.transition');
transition.before.each(() => { s3.reset(); });

transition('moving an object copies it onto itself with the new storage class', async () => {
  s3.on(HeadObjectCommand).resolves({});
  s3.on(CopyObjectCommand).resolves({});
  await tier.transition('events/year=2024/a_b.event', 'GLACIER');
  assert.equal(s3.commandCalls(CopyObjectCommand)[0]?.args[0].input, {
    Bucket: 'lake', Key: 'events/year=2024/a_b.event', CopySource: 'lake/events/year%3D2024/a_b.event', StorageClass: 'GLACIER', MetadataDirective: 'COPY',
  });
});

transition('an object already in the class is left alone', async () => {
  s3.on(HeadObjectCommand).resolves({ StorageClass: 'GLACIER' });
  await tier.transition('events/a', 'GLACIER');
  assert.is(s3.commandCalls(CopyObjectCommand).length, 0);
});

transition('an unrestored archived object cannot be copied to a colder class', async () => {
  s3.on(HeadObjectCommand).resolves({ StorageClass: 'GLACIER' });
  await rejects(() => tier.transition('events/a', 'DEEP_ARCHIVE'), ArchivedEventError);
  assert.is(s3.commandCalls(CopyObjectCommand).length, 0);
});

transition('a copy the stack\'s write-once policy denies says that lifecycle rules archive on AWS', async () => {
  s3.on(HeadObjectCommand).resolves({});
  s3.on(CopyObjectCommand).rejects(awsError('AccessDenied', 403));
  const error = await rejects(() => tier.transition('events/a', 'GLACIER'), UnsupportedOnTargetError);
  assert.is(error.code, 'UNSUPPORTED_ON_TARGET');
  assert.ok(error.message.includes('lifecycle rules'), error.message);
  assert.is((error.cause as Error).name, 'AccessDenied');
});

transition('a copy source the endpoint cannot find though HEAD found it is a STORAGE_FAILED naming the key and s3rver, not an SDK error', async () => {
  s3.on(HeadObjectCommand).resolves({});
  s3.on(CopyObjectCommand).rejects(awsError('NoSuchKey', 404));
  const error = await rejects(() => tier.transition('events/year=2024/a', 'GLACIER'), StorageError);
  assert.is(error.code, 'STORAGE_FAILED');
  assert.ok(error.message.includes('events/year=2024/a') && error.message.includes('s3rver'), error.message);
  assert.is((error.cause as Error).name, 'NoSuchKey');
});

transition('a move to a warmer class is refused', async () => {
  s3.on(HeadObjectCommand).resolves({ StorageClass: 'DEEP_ARCHIVE', Restore: 'ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"' });
  await rejects(() => tier.transition('events/a', 'STANDARD'), InvalidArgumentError);
});

transition.run();

const rules = suite('lifecycleRules');

rules('the default policy archives events/ to GLACIER after 14 days and DEEP_ARCHIVE after 105', () => {
  assert.equal(lifecycleRules()[0], {
    ID: 'eventlake-archive-events', Status: 'Enabled', Filter: { Prefix: 'events/' },
    Transitions: [{ Days: 14, StorageClass: 'GLACIER' }, { Days: 105, StorageClass: 'DEEP_ARCHIVE' }],
  });
});

rules('deleted objects under events/ lose their old versions after 30 days, then their delete markers, in a rule with no Days or Date', () => {
  assert.equal(lifecycleRules(undefined, { minObjectBytes: 4096 })[2], {
    ID: 'eventlake-expire-deleted-events', Status: 'Enabled', Filter: { Prefix: 'events/' },
    NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Expiration: { ExpiredObjectDeleteMarker: true },
  });
});

rules('a minimum object size narrows the filter', () => {
  assert.equal(lifecycleRules(undefined, { minObjectBytes: 4096 })[0]?.Filter, { And: { Prefix: 'events/', ObjectSizeGreaterThan: 4096 } });
});

rules('DEEP_ARCHIVE less than 90 days after GLACIER is refused, as S3 would', () => {
  assert.throws(() => lifecycleRules({ glacierAfterDays: 30, deepArchiveAfterDays: 60 }), (e: unknown) => e instanceof InvalidArgumentError);
});

rules.run();

const live = suite('S3ArchiveTier on an S3 endpoint');
live.after(() => stopS3());

live('a freshly written object is STANDARD with no restore', async () => {
  const target = await s3Target();
  await target.empty();
  await new S3EventLog({ client: target.client, bucket: target.bucket }).append([SAMPLES.cash_deposit!]);
  const real = new S3ArchiveTier({ client: target.client, bucket: target.bucket });
  const key = eventKey(SAMPLES.cash_deposit!);
  assert.equal(await real.storage([key]), [{ key, storageClass: 'STANDARD', restore: 'NONE' }]);
});

live.run();
