// The CDK lifecycle rules are the adapter's `lifecycleRules`, translated field by field.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageClass } from 'aws-cdk-lib/aws-s3';
import { eventLogLifecycle, toCdkLifecycleRule } from '../../infra/lifecycle.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const test = suite('eventLogLifecycle');
const days = (d: { toDays(): number } | undefined) => d?.toDays();

test('the default policy archives events/ to GLACIER at 14 days and DEEP_ARCHIVE at 105', () => {
  const [archive] = eventLogLifecycle();
  assert.is(archive?.prefix, 'events/');
  assert.equal(archive?.transitions?.map((t) => [t.storageClass, days(t.transitionAfter)]), [[StorageClass.GLACIER, 14], [StorageClass.DEEP_ARCHIVE, 105]]);
});

test('deleted objects under events/ lose their old versions after 30 days, then their expired delete markers', () => {
  const expire = eventLogLifecycle()[2];
  assert.equal([expire?.prefix, days(expire?.noncurrentVersionExpiration), expire?.expiredObjectDeleteMarker], ['events/', 30, true]);
});

test('an expiration by days is refused: the log\'s current objects never expire', () => {
  assert.throws(() => toCdkLifecycleRule({ Status: 'Enabled', Expiration: { Days: 1 } }), (e: unknown) => e instanceof InvalidArgumentError);
});

test('custom days and noncurrent expiry are carried over', () => {
  const [archive, , expire] = eventLogLifecycle({ glacierAfterDays: 0, deepArchiveAfterDays: 90 }, { noncurrentVersionDays: 1 });
  assert.equal(archive?.transitions?.map((t) => days(t.transitionAfter)), [0, 90]);
  assert.is(days(expire?.noncurrentVersionExpiration), 1);
});

test('a minimum object size becomes objectSizeGreaterThan next to the prefix', () => {
  const [archive] = eventLogLifecycle(undefined, { minObjectBytes: 4096 });
  assert.is(archive?.prefix, 'events/');
  assert.is(archive?.objectSizeGreaterThan, 4096);
});

test('stale multipart uploads are aborted after 7 days, bucket-wide', () => {
  const abort = eventLogLifecycle()[1];
  assert.is(abort?.prefix, undefined);
  assert.is(days(abort?.abortIncompleteMultipartUploadAfter), 7);
  assert.is(abort?.enabled, true);
});

test('a policy S3 would refuse (DEEP_ARCHIVE < 90 days after GLACIER) throws before synthesis', () => {
  assert.throws(() => eventLogLifecycle({ glacierAfterDays: 30, deepArchiveAfterDays: 60 }), (e: unknown) => e instanceof InvalidArgumentError);
});

test('an unknown storage class in a rule throws', () => {
  assert.throws(() => toCdkLifecycleRule({ Status: 'Enabled', Transitions: [{ Days: 1, StorageClass: 'REDUCED_REDUNDANCY' as never }] }), (e: unknown) => e instanceof InvalidArgumentError);
});

test.run();
