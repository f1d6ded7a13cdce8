// The EventLake construct's props, their defaults, and the checks that fail a synth early instead of a deploy late.

import { Token, type Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { InvalidArgumentError } from '../domain/errors.ts';
import type { DispatchRule } from '../domain/ports/dispatcher.ts';
import type { LifecyclePolicy } from '../domain/ports/archive-tier.ts';
import { checkUserCode } from './check-user-code.ts';

/** S3 Object Lock on the log bucket: every object version is kept for `retentionDays` (banking records). */
export interface ObjectLockProps {
  /** COMPLIANCE: nobody, not even root, shortens it. GOVERNANCE: principals with s3:BypassGovernanceRetention can. */
  readonly mode: 'COMPLIANCE' | 'GOVERNANCE';
  readonly retentionDays: number;
}

/**
 * What an event lake deployment may change; every prop has a secure default.
 *
 * @example
 * new EventLake(this, 'Lake', { lifecycle: { glacierAfterDays: 30, deepArchiveAfterDays: 180 }, objectLock: { mode: 'COMPLIANCE', retentionDays: 3650 } });
 */
export interface EventLakeProps {
  /** Prefix of the physical names: tables, bus, functions, workgroup, Glue database (default `eventlake`). */
  readonly prefix?: string;
  /** When log objects go to GLACIER and DEEP_ARCHIVE (default 14 / 105 days). */
  readonly lifecycle?: LifecyclePolicy;
  /** Days a replaced or deleted object version is kept (default 30). */
  readonly noncurrentVersionDays?: number;
  /**
   * Archive segments between 64 KiB and 128 KB too (bucket TransitionDefaultMinimumObjectSize `varies_by_storage_class`,
   * rule ObjectSizeGreaterThan the largest one-event object, so one-event objects are never archived before
   * compaction reads them). Default false: S3 then archives only objects >= 128 KB, i.e. the compactor's bigger hour
   * segments, because Glacier bills ~40 KB of overhead per object, more than a one-event object's own size.
   */
  readonly archiveSmallObjects?: boolean;
  /** Object Lock on the log bucket (default: off; it can only be chosen when the bucket is created). */
  readonly objectLock?: ObjectLockProps;
  /** Projections with a projector function, rule and generation-1 table (default: `balances`, `statement`). */
  readonly projections?: readonly string[];
  /** Bus rules; each `target` names a projection (default: one rule per projection, pattern `{ source: ['eventlake'] }`). */
  readonly rules?: readonly DispatchRule[];
  /** Days the bus archive keeps events, 0 = forever (default 365). */
  readonly busArchiveRetentionDays?: number;
  /** EventBridge delivery retries to a function before the DLQ (default 10, max 185). */
  readonly retryAttempts?: number;
  /** Oldest event EventBridge still delivers (default 24 hours, between 1 minute and 24 hours). */
  readonly maxEventAge?: Duration;
  /** Athena refuses queries that would scan more (default 10 GiB). */
  readonly bytesScannedCutoffPerQuery?: number;
  /** Days Athena query results are kept (default 30). */
  readonly queryResultsRetentionDays?: number;
  /** Days S3 server access logs are kept (default 365). */
  readonly accessLogRetentionDays?: number;
  /** Retention of the functions' log groups (default one year). */
  readonly logRetention?: RetentionDays;
  /** What alarms do when they fire (e.g. an SNS topic action), beside `alarmTopicArn`; default none (a synth warning). */
  readonly alarmActions?: readonly IAlarmAction[];
  /**
   * ARN of an SNS topic (standard, in the stack's region) that every alarm notifies when it fires and when it clears;
   * context key `eventlake:alarmTopicArn`. Without it or `alarmActions`, synth warns that the alarms notify nobody.
   */
  readonly alarmTopicArn?: string;
  /** First year of the Glue partition projection (default 2020). */
  readonly firstYear?: number;
  /**
   * The daily compaction function's sizes (defaults: 8 hours at once, segments of at most 5,000 events / 8 MiB, 1 GB):
   * for hours of millions of events, lower `concurrency` (each hour held costs ≈ 120 B per event of its index entries)
   * or raise `memorySize`.
   */
  readonly compaction?: CompactionProps;
  /**
   * Folders of your own event types' schemas (as `--schemas` takes them): copied into every function, so the rebuild
   * replays (validates) your events and the projectors upcast them, and their fields become columns of the Glue table,
   * typed from the schemas, so Athena can select them. Read at synth; a folder that does not load fails the synth.
   */
  readonly schemaFolders?: readonly string[];
  /**
   * Your extensions module (as `--extensions` takes it: balance rules and upcasters, typed by `defineExtensions`),
   * bundled by esbuild into the rebuild function and the projectors, so AWS folds and upcasts your events as the
   * CLI does with `--extensions`. Checked at synth with the CLI's checks (exports, and every type it names has a
   * schema in `schemaFolders` or the built-ins).
   */
  readonly extensions?: string;
  /**
   * Your tags, put on every resource of the lake that CloudFormation can tag, beside the lake's own `eventlake:lake`
   * (the prefix) and `eventlake:component` (default none). Keys may not start with `aws:` (reserved) or `eventlake:`.
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** Lambda runtime (default Node.js 24; Node.js 22 or later). */
  readonly runtime?: Runtime;
  /**
   * Pre-bundled code for every function (handler `index.handler`) instead of esbuild bundling of the entry files.
   * For tests that synthesize many times; a deployment leaves it unset.
   */
  readonly code?: Code;
}

/** The defaults (exported so tests and docs state them once). */
export const DEFAULTS = {
  prefix: 'eventlake',
  projections: ['balances', 'statement'],
  noncurrentVersionDays: 30,
  busArchiveRetentionDays: 365,
  retryAttempts: 10,
  maxEventAgeHours: 24,
  bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
  queryResultsRetentionDays: 30,
  accessLogRetentionDays: 365,
} as const;

/** Athena's smallest allowed bytes-scanned cutoff (10 MB). */
const MIN_CUTOFF = 10_000_000;

/** EventLakeProps.compaction. */
export interface CompactionProps {
  readonly concurrency?: number;
  readonly maxSegmentEvents?: number;
  readonly maxSegmentBytes?: number;
  /** MB (default 1024). */
  readonly memorySize?: number;
}

/** An SNS topic ARN: `arn:<partition>:sns:<region>:<12-digit account>:<name>` (a standard topic's name). */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/**
 * Throws InvalidArgumentError naming `field` unless `arn` is an SNS topic ARN (a CDK token, known only at deploy, passes):
 * a bad one would otherwise fail the deploy halfway, at the first alarm CloudFormation creates.
 */
export function checkTopicArn(field: string, arn: string): void {
  if (Token.isUnresolved(arn) || TOPIC_ARN.test(arn)) return;
  throw new InvalidArgumentError(field, `"${arn}" is not an SNS topic ARN: give one like arn:aws:sns:eu-west-1:111122223333:eventlake-alarms (a standard topic, not FIFO)`);
}

/** Throws InvalidArgumentError for a tag AWS would refuse (reserved `aws:`, lengths) or that would replace one of the lake's own. */
function checkTag(key: string, value: string): void {
  if (/^(aws|eventlake):/i.test(key)) throw new InvalidArgumentError('tags', `"${key}" starts with a reserved prefix (aws: or eventlake:): choose another key`);
  if (key.length < 1 || key.length > 128) throw new InvalidArgumentError('tags', `a key must be 1-128 characters, "${key}" has ${key.length}`);
  if (value.length > 256) throw new InvalidArgumentError('tags', `the value of "${key}" must be at most 256 characters, it has ${value.length}`);
}

/** Throws InvalidArgumentError for props AWS would refuse at deploy time, and the CLI's errors for schemas and extensions. */
export function checkProps(props: EventLakeProps): void {
  const prefix = props.prefix ?? DEFAULTS.prefix;
  // Lower case, because the prefix also names the Glue database and the Athena workgroup.
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(prefix)) throw new InvalidArgumentError('prefix', `"${prefix}" must be 1-31 of a-z, 0-9, '-' and start with a letter`);
  for (const p of props.projections ?? DEFAULTS.projections) {
    if (!/^[a-z][a-z0-9_]{0,30}$/.test(p)) throw new InvalidArgumentError('projections', `"${p}" is not a projection name (a-z, 0-9, _)`);
  }
  const lock = props.objectLock;
  if (lock && (!Number.isInteger(lock.retentionDays) || lock.retentionDays < 1)) {
    throw new InvalidArgumentError('objectLock.retentionDays', `must be a whole number of days >= 1, got ${lock.retentionDays}`);
  }
  const retry = props.retryAttempts;
  if (retry !== undefined && (!Number.isInteger(retry) || retry < 0 || retry > 185)) throw new InvalidArgumentError('retryAttempts', `must be 0-185, got ${retry}`);
  const cutoff = props.bytesScannedCutoffPerQuery;
  if (cutoff !== undefined && (!Number.isInteger(cutoff) || cutoff < MIN_CUTOFF)) {
    throw new InvalidArgumentError('bytesScannedCutoffPerQuery', `Athena's minimum is ${MIN_CUTOFF} bytes, got ${cutoff}`);
  }
  const days = props.busArchiveRetentionDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 0)) throw new InvalidArgumentError('busArchiveRetentionDays', `must be a whole number >= 0, got ${days}`);
  for (const [key, value] of Object.entries(props.compaction ?? {})) {
    const least = key === 'memorySize' ? 128 : 1;
    if (value !== undefined && (!Number.isInteger(value) || value < least)) throw new InvalidArgumentError(`compaction.${key}`, `must be a whole number >= ${least}, got ${value}`);
  }
  if (props.alarmTopicArn !== undefined) checkTopicArn('alarmTopicArn', props.alarmTopicArn);
  for (const [key, value] of Object.entries(props.tags ?? {})) checkTag(key, value);
  checkUserCode(props.schemaFolders ?? [], props.extensions);
}
