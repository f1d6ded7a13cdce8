// The log bucket's lifecycle rules in CDK form, translated from the adapter's `lifecycleRules` so both stay one policy.

import { Duration } from 'aws-cdk-lib';
import { StorageClass, type LifecycleRule } from 'aws-cdk-lib/aws-s3';
import type { LifecycleRule as S3LifecycleRule } from '@aws-sdk/client-s3';
import { lifecycleRules, type LifecycleRuleOptions } from '../adapters/aws/s3-archive-tier.ts';
import { DEFAULT_LIFECYCLE, type LifecyclePolicy } from '../domain/ports/archive-tier.ts';
import { InvalidArgumentError } from '../domain/errors.ts';

const CLASSES: Readonly<Record<string, StorageClass>> = {
  GLACIER: StorageClass.GLACIER,
  DEEP_ARCHIVE: StorageClass.DEEP_ARCHIVE,
  GLACIER_IR: StorageClass.GLACIER_INSTANT_RETRIEVAL,
  STANDARD_IA: StorageClass.INFREQUENT_ACCESS,
  INTELLIGENT_TIERING: StorageClass.INTELLIGENT_TIERING,
};

/** One rule of the PutBucketLifecycleConfiguration shape as a CDK `LifecycleRule`. */
export function toCdkLifecycleRule(rule: S3LifecycleRule): LifecycleRule {
  const and = rule.Filter?.And;
  const prefix = rule.Filter?.Prefix ?? and?.Prefix;
  const minSize = rule.Filter?.ObjectSizeGreaterThan ?? and?.ObjectSizeGreaterThan;
  const transitions = (rule.Transitions ?? []).map((t) => {
    const storageClass = CLASSES[t.StorageClass ?? ''];
    if (!storageClass || t.Days === undefined) throw new InvalidArgumentError('lifecycle', `unsupported transition ${JSON.stringify(t)}`);
    return { storageClass, transitionAfter: Duration.days(t.Days) };
  });
  const noncurrent = rule.NoncurrentVersionExpiration?.NoncurrentDays;
  const abortAfter = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
  const expiration = rule.Expiration;
  if (expiration?.Days !== undefined || expiration?.Date !== undefined) throw new InvalidArgumentError('lifecycle', `unsupported expiration ${JSON.stringify(expiration)}`);
  return {
    ...(rule.ID ? { id: rule.ID } : {}),
    enabled: rule.Status === 'Enabled',
    ...(prefix ? { prefix } : {}),
    ...(minSize !== undefined ? { objectSizeGreaterThan: minSize } : {}),
    ...(transitions.length > 0 ? { transitions } : {}),
    ...(noncurrent !== undefined ? { noncurrentVersionExpiration: Duration.days(noncurrent) } : {}),
    ...(abortAfter !== undefined ? { abortIncompleteMultipartUploadAfter: Duration.days(abortAfter) } : {}),
    ...(expiration?.ExpiredObjectDeleteMarker ? { expiredObjectDeleteMarker: true } : {}),
  };
}

/**
 * The lifecycle rules the stack installs on the log bucket: exactly `lifecycleRules(policy, options)`
 * (GLACIER after N days, DEEP_ARCHIVE after M, stale uploads aborted, noncurrent versions and expired delete markers removed).
 *
 * @example
 * new s3.Bucket(this, 'Log', { versioned: true, lifecycleRules: eventLogLifecycle({ glacierAfterDays: 30, deepArchiveAfterDays: 120 }) });
 */
export function eventLogLifecycle(policy: LifecyclePolicy = DEFAULT_LIFECYCLE, options: LifecycleRuleOptions = {}): LifecycleRule[] {
  return lifecycleRules(policy, options).map(toCdkLifecycleRule);
}
