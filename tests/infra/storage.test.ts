// The lake's key and buckets: KMS, public access blocked, TLS only, versioning, write-once events/, lifecycle, Object Lock.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import type { EventLakeProps } from '../../infra/props.ts';
import { LAKE_KEY_ONLY_SIDS, WRITE_ONCE_SID } from '../../infra/storage.ts';
import { MAX_EVENT_BYTES } from '../../schemas/registry.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const code = Code.fromInline('export const handler = async () => {};');
function synth(lake: EventLakeProps = {}): { template: Template; stack: EventLakeStack } {
  const stack = new EventLakeStack(new App(), 'Test', { lake: { code, ...lake } });
  return { template: Template.fromStack(stack), stack };
}

const { template, stack } = synth();
const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const eventLogId = logicalId(stack.lake.bucket);
const keyId = logicalId(stack.lake.key);
const eventLog = () => template.toJSON().Resources[eventLogId].Properties;
const policyOf = (bucketId: string) => template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } });
const statementsOf = (bucketId: string): Array<Record<string, unknown>> => Object.values(policyOf(bucketId))[0]?.Properties.PolicyDocument.Statement ?? [];

const test = suite('EventLake storage');

test('the key is customer-managed, rotated and retained', () => {
  template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
});

test('the event log is SSE-KMS with the lake key and a bucket key', () => {
  assert.equal(eventLog().BucketEncryption.ServerSideEncryptionConfiguration, [{
    BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
  }]);
});

test('every bucket blocks all public access and disables ACLs', () => {
  const buckets = template.findResources('AWS::S3::Bucket');
  assert.is(Object.keys(buckets).length, 3);
  for (const b of Object.values(buckets)) {
    assert.equal(b.Properties.PublicAccessBlockConfiguration, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    assert.equal(b.Properties.OwnershipControls, { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  }
});

test('every bucket denies requests without TLS', () => {
  for (const id of Object.keys(template.findResources('AWS::S3::Bucket'))) {
    const tls = statementsOf(id).find((s) => JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }));
    assert.ok(tls, `${id} has no TLS-only statement`);
    assert.is(tls!.Effect, 'Deny');
    assert.is(tls!.Action, 's3:*');
  }
});

test('the event log is versioned and sends its events to EventBridge natively', () => {
  assert.equal(eventLog().VersioningConfiguration, { Status: 'Enabled' });
  assert.equal(eventLog().NotificationConfiguration, { EventBridgeConfiguration: { EventBridgeEnabled: true } });
  // No custom-resource Lambda was needed for it.
  assert.equal(template.findResources('Custom::S3BucketNotifications'), {});
});

test('a PutObject under events/ without If-None-Match is denied to everyone', () => {
  const stmt = statementsOf(eventLogId).find((s) => s.Sid === WRITE_ONCE_SID);
  assert.ok(stmt);
  assert.equal(stmt, {
    Sid: WRITE_ONCE_SID, Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject',
    Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [eventLogId, 'Arn'] }, '/events/*']] },
    Condition: { Null: { 's3:if-none-match': 'true' } },
  });
});

test('events/ objects go to GLACIER after 14 days and DEEP_ARCHIVE after 105', () => {
  const [archive] = eventLog().LifecycleConfiguration.Rules;
  assert.equal(archive, {
    Id: 'eventlake-archive-events', Status: 'Enabled', Prefix: 'events/',
    Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 14 }, { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 105 }],
  });
});

test('under events/, deleted objects\' old versions expire after 30 days and then their delete markers, in a rule of their own', () => {
  const expire = eventLog().LifecycleConfiguration.Rules.find((r: { Id: string }) => r.Id === 'eventlake-expire-deleted-events');
  assert.equal(expire, { Id: 'eventlake-expire-deleted-events', Status: 'Enabled', Prefix: 'events/', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true });
});

test('a PutObject under events/ asking for another encryption than the lake key is denied to everyone; one asking for none passes to the default', () => {
  const byId = new Map(statementsOf(eventLogId).map((s) => [s['Sid'], s]));
  const keyArn = { 'Fn::GetAtt': [keyId, 'Arn'] };
  const common = { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [eventLogId, 'Arn'] }, '/events/*']] } };
  assert.equal(byId.get(LAKE_KEY_ONLY_SIDS.algorithm), { ...common, Sid: LAKE_KEY_ONLY_SIDS.algorithm,
    Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' }, Null: { 's3:x-amz-server-side-encryption': 'false' } } });
  assert.equal(byId.get(LAKE_KEY_ONLY_SIDS.key), { ...common, Sid: LAKE_KEY_ONLY_SIDS.key,
    Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn }, Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' } } });
  assert.equal(byId.get(LAKE_KEY_ONLY_SIDS.customer), { ...common, Sid: LAKE_KEY_ONLY_SIDS.customer,
    Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } } });
});

test('the lifecycle days, the noncurrent expiry and small-object archiving follow the props', () => {
  const custom = synth({ lifecycle: { glacierAfterDays: 30, deepArchiveAfterDays: 200 }, noncurrentVersionDays: 7, archiveSmallObjects: true });
  custom.template.hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: { TransitionDefaultMinimumObjectSize: 'varies_by_storage_class', Rules: Match.arrayWith([Match.objectLike({
      Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 30 }, { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 200 }],
    }), Match.objectLike({
      // Without the archive rule's size filter: a deleted 1 KB one-event object's old version expires too.
      Prefix: 'events/', NoncurrentVersionExpiration: { NoncurrentDays: 7 }, ExpiredObjectDeleteMarker: true,
    })]) },
  });
});

test('archiving small objects never archives a one-event object, which compaction still has to read', () => {
  // The largest one-event object S3EventLog writes: the largest event the registry accepts, and its newline.
  const largestEventObject = MAX_EVENT_BYTES + 1;
  const [archive] = synth({ archiveSmallObjects: true }).template.toJSON().Resources[eventLogId].Properties.LifecycleConfiguration.Rules;
  assert.is(archive.ObjectSizeGreaterThan, largestEventObject);
  assert.is(archive.Prefix, 'events/');
});

test('Object Lock is off unless asked for', () => {
  assert.is(eventLog().ObjectLockEnabled, undefined);
  assert.is(eventLog().ObjectLockConfiguration, undefined);
});

test('Object Lock applies the chosen mode and retention to every new version', () => {
  const locked = synth({ objectLock: { mode: 'COMPLIANCE', retentionDays: 3650 } });
  locked.template.hasResourceProperties('AWS::S3::Bucket', {
    ObjectLockEnabled: true,
    ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } } },
  });
});

test('the event log and the results bucket log their access to the SSE-S3 access-log bucket', () => {
  const logsId = logicalId(stack.lake.accessLogsBucket);
  assert.equal(eventLog().LoggingConfiguration, { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'event-log/' });
  template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'query-results/' } });
  const logs = template.toJSON().Resources[logsId].Properties;
  assert.equal(logs.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault, { SSEAlgorithm: 'AES256' });
  const delivery = statementsOf(logsId).filter((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'logging.s3.amazonaws.com' }));
  assert.is(delivery.length, 2);
});

test('buckets and the key are retained when the stack is deleted', () => {
  for (const b of Object.values(template.findResources('AWS::S3::Bucket'))) assert.is(b.DeletionPolicy, 'Retain');
});

test.run();
