// The lake's key and buckets: the write-once event log, the server access log bucket, the Athena results bucket.

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess, Bucket, BucketEncryption, CfnBucket, ObjectLockRetention, ObjectOwnership, TransitionDefaultMinimumObjectSize,
} from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { EVENTS_PREFIX } from '../domain/event.ts';
import { MAX_EVENT_BYTES } from '../schemas/registry.ts';
import { DEFAULT_LIFECYCLE } from '../domain/ports/archive-tier.ts';
import { eventLogLifecycle } from './lifecycle.ts';
import { DEFAULTS, type EventLakeProps } from './props.ts';

/** Sid of the bucket policy statement that makes `events/` write-once (tests and docs refer to it). */
export const WRITE_ONCE_SID = 'DenyPutWithoutIfNoneMatch';

/** Sids of the statements that keep every object under `events/` encrypted with the lake key (lakeKeyOnlyStatements). */
export const LAKE_KEY_ONLY_SIDS = { algorithm: 'DenyPutWithOtherEncryption', key: 'DenyPutWithOtherKmsKey', customer: 'DenyPutWithCustomerKey' } as const;

/**
 * The largest one-event object (the largest event the registry accepts, and its newline). With small-object archiving
 * on, only objects above it transition: one-event objects stay hot until compaction has read them into a segment
 * (an archived original would stop the compactor), and Glacier's ~40 KB of overhead per object would cost more than
 * keeping a 1 KB event in STANDARD anyway.
 */
export const LARGEST_EVENT_OBJECT_BYTES = MAX_EVENT_BYTES + 1;

/** Secure defaults every bucket of the lake shares: no public access, TLS only, owner owns every object. */
const COMMON = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/**
 * The key and the buckets of an event lake.
 */
export class LakeStorage extends Construct {
  /** Customer-managed key (rotated yearly) for the log, tables, queues and query results. */
  readonly key: Key;
  readonly eventLog: Bucket;
  readonly accessLogs: Bucket;
  readonly queryResults: Bucket;

  constructor(scope: Construct, id: string, props: EventLakeProps) {
    super(scope, id);
    // Log delivery by bucket policy, not ACL: ACLs are disabled (BUCKET_OWNER_ENFORCED). Set here, so it holds in any app.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const prefix = props.prefix ?? DEFAULTS.prefix;
    this.key = new Key(this, 'Key', {
      alias: `alias/${prefix}`, description: `eventlake ${prefix}: event log, tables, dead-letter queues, query results`,
      enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN,
    });
    // EventBridge's use of the key for the dead-letter queues is allowed where the rules are known (allowDeadLetters).

    // Server access logs cannot be delivered to an SSE-KMS bucket: this one uses SSE-S3.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...COMMON, encryption: BucketEncryption.S3_MANAGED, versioned: false,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogRetentionDays ?? DEFAULTS.accessLogRetentionDays) }],
    });

    const lock = props.objectLock;
    this.eventLog = new Bucket(this, 'EventLog', {
      ...COMMON, encryption: BucketEncryption.KMS, encryptionKey: this.key,
      // One data key per bucket instead of one KMS call per PUT/GET: KMS would otherwise cost more than S3 per event.
      bucketKeyEnabled: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs, serverAccessLogsPrefix: 'event-log/',
      lifecycleRules: eventLogLifecycle(props.lifecycle ?? DEFAULT_LIFECYCLE, {
        noncurrentVersionDays: props.noncurrentVersionDays ?? DEFAULTS.noncurrentVersionDays,
        ...(props.archiveSmallObjects ? { minObjectBytes: LARGEST_EVENT_OBJECT_BYTES } : {}),
      }),
      ...(props.archiveSmallObjects ? { transitionDefaultMinimumObjectSize: TransitionDefaultMinimumObjectSize.VARIES_BY_STORAGE_CLASS } : {}),
      ...(lock ? {
        objectLockEnabled: true,
        objectLockDefaultRetention: lock.mode === 'COMPLIANCE'
          ? ObjectLockRetention.compliance(Duration.days(lock.retentionDays))
          : ObjectLockRetention.governance(Duration.days(lock.retentionDays)),
      } : {}),
    });
    // Native CloudFormation property; CDK's `eventBridgeEnabled` would add a custom-resource Lambda to set it.
    (this.eventLog.node.defaultChild as CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    this.eventLog.addToResourcePolicy(writeOnceStatement(this.eventLog));
    for (const statement of lakeKeyOnlyStatements(this.eventLog, this.key)) this.eventLog.addToResourcePolicy(statement);

    this.queryResults = new Bucket(this, 'QueryResults', {
      ...COMMON, encryption: BucketEncryption.KMS, encryptionKey: this.key, bucketKeyEnabled: true, versioned: false,
      serverAccessLogsBucket: this.accessLogs, serverAccessLogsPrefix: 'query-results/',
      lifecycleRules: [{ id: 'expire-query-results', expiration: Duration.days(props.queryResultsRetentionDays ?? DEFAULTS.queryResultsRetentionDays) }],
    });
  }
}

/**
 * Write-once, enforced by S3 itself: a PutObject (or CompleteMultipartUpload, or CopyObject) under `events/`
 * without an `If-None-Match` header is denied for every principal, so no client, however configured, can
 * overwrite an event. S3EventLog always sends `If-None-Match: *`; lifecycle transitions are not requests and
 * are unaffected. Multipart part uploads are denied too (the log never uses them: objects are small).
 */
export function writeOnceStatement(bucket: Bucket): PolicyStatement {
  return new PolicyStatement({
    sid: WRITE_ONCE_SID, effect: Effect.DENY, principals: [new AnyPrincipal()],
    actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${EVENTS_PREFIX}*`)],
    conditions: { Null: { 's3:if-none-match': 'true' } },
  });
}

/**
 * The lake key, enforced rather than a default: a PutObject (or CopyObject) under `events/` that asks for another
 * encryption (SSE-S3 `AES256`, DSSE-KMS, another KMS key, or a customer key, SSE-C) is denied for every principal.
 * Each statement matches only when its header is present (Null false): a request without encryption headers, as
 * S3EventLog's and compaction's PUTs are, gets the bucket default (the lake key) and passes.
 */
export function lakeKeyOnlyStatements(bucket: Bucket, key: IKey): PolicyStatement[] {
  const deny = (sid: string, conditions: Record<string, Record<string, unknown>>) => new PolicyStatement({
    sid, effect: Effect.DENY, principals: [new AnyPrincipal()], actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${EVENTS_PREFIX}*`)], conditions,
  });
  const SSE = 's3:x-amz-server-side-encryption';
  const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
  return [
    deny(LAKE_KEY_ONLY_SIDS.algorithm, { StringNotEquals: { [SSE]: 'aws:kms' }, Null: { [SSE]: 'false' } }),
    deny(LAKE_KEY_ONLY_SIDS.key, { StringNotEquals: { [KEY_ID]: key.keyArn }, Null: { [KEY_ID]: 'false' } }),
    deny(LAKE_KEY_ONLY_SIDS.customer, { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } }),
  ];
}
