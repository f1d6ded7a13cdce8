// S3ArchiveTier: storage class and restore state of log objects in S3, restores, and the lifecycle rules that archive.

import { CopyObjectCommand, RestoreObjectCommand } from '@aws-sdk/client-s3';
import type { LifecycleRule, S3Client } from '@aws-sdk/client-s3';
import { ArchivedEventError, EventNotFoundError, InvalidArgumentError, RestoreRequestError, StorageError, UnsupportedOnTargetError } from '../../domain/errors.ts';
import { EVENTS_PREFIX } from '../../domain/event.ts';
import type { ArchiveTier, LifecyclePolicy, RestoreRequest } from '../../domain/ports/archive-tier.ts';
import { DEFAULT_LIFECYCLE } from '../../domain/ports/archive-tier.ts';
import type { ObjectStorage, RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import { errorCode, isNotFound, isThrottled, toStorageClass } from './errors.ts';
import type { RetryOptions } from './retry.ts';
import { mapLimit, withRetry } from './retry.ts';
import type { S3Location } from './s3-objects.ts';
import { headObject } from './s3-objects.ts';

export interface S3ArchiveTierOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** HeadObject / RestoreObject calls in flight at once (default 16). */
  readonly concurrency?: number;
  readonly retry?: RetryOptions;
}

/**
 * Restore state from HeadObject's `Restore` (`x-amz-restore`) header: absent → NONE,
 * `ongoing-request="true"` → RESTORING, `ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"` → RESTORED.
 */
export function parseRestoreHeader(header: string | undefined): { restore: RestoreState; expiresAt?: number } {
  if (!header) return { restore: 'NONE' };
  if (/ongoing-request\s*=\s*"true"/i.test(header)) return { restore: 'RESTORING' };
  const expiry = /expiry-date\s*=\s*"([^"]+)"/i.exec(header)?.[1];
  const expiresAt = expiry === undefined ? NaN : Date.parse(expiry);
  return Number.isNaN(expiresAt) ? { restore: 'RESTORED' } : { restore: 'RESTORED', expiresAt };
}

/**
 * The archive tier of an S3 bucket. In AWS the lifecycle rules (see `lifecycleRules`) move objects; `transition`
 * (CopyObject onto itself) exists for tests and buckets without the stack's write-once policy, which refuses it:
 * that refusal is an `UnsupportedOnTargetError`. Restores are asynchronous: `storage` reports RESTORING, later RESTORED.
 *
 * @example
 * const tier = new S3ArchiveTier({ client: new S3Client({}), bucket: 'my-lake' });
 * await tier.restore([segment], { tier: 'Bulk', days: 2 });
 */
export class S3ArchiveTier implements ArchiveTier {
  private readonly s3: S3Location;
  private readonly concurrency: number;

  constructor(options: S3ArchiveTierOptions) {
    this.s3 = { client: options.client, bucket: options.bucket, ...(options.retry ? { retry: options.retry } : {}) };
    this.concurrency = options.concurrency ?? 16;
  }

  async storage(keys: readonly string[]): Promise<ObjectStorage[]> {
    return mapLimit(keys, this.concurrency, (key) => this.storageOf(key));
  }

  async transition(key: string, storageClass: StorageClass): Promise<void> {
    const current = await this.storageOf(key);
    if (current.storageClass === storageClass) return;
    if (COLDNESS[storageClass] < COLDNESS[current.storageClass]) {
      throw new InvalidArgumentError('storageClass', `${key} is in ${current.storageClass}; objects only move to colder classes (restore it to read it)`);
    }
    // CopyObject reads its source, so an archived object moves on only from a restored copy (lifecycle rules need none).
    if (current.storageClass !== 'STANDARD' && current.restore !== 'RESTORED') throw new ArchivedEventError(key, current.storageClass);
    try {
      await withRetry(`CopyObject ${key}`, () => this.s3.client.send(new CopyObjectCommand({
        Bucket: this.s3.bucket, Key: key, CopySource: `${this.s3.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
        StorageClass: storageClass, MetadataDirective: 'COPY',
      })), isThrottled, this.s3.retry);
    } catch (error) {
      // The stack's write-once policy denies every PutObject (CopyObject is one) under events/ without If-None-Match.
      if (errorCode(error) === 'AccessDenied') throw new UnsupportedOnTargetError(`moving ${key} to ${storageClass}`, 'aws', LIFECYCLE_ARCHIVES, { cause: error });
      // HEAD found it a moment ago: it was deleted meanwhile, or the endpoint cannot read an encoded CopySource (s3rver
      // takes `year%3D2024` literally), which left `archive run` stopping with an SDK stack trace after its first hour.
      if (errorCode(error) === 'NoSuchKey') {
        throw new StorageError(`moving ${key} to ${storageClass}: CopyObject found no such key, though HeadObject found it just before: it was deleted meanwhile, ` +
          'or the endpoint does not decode the copy source (s3rver does not: storage-class moves need real S3, where the stack\'s lifecycle rules archive)', { cause: error });
      }
      throw error;
    }
  }

  async restore(keys: readonly string[], request: RestoreRequest): Promise<void> {
    if (!Number.isInteger(request.days) || request.days < 1) throw new InvalidArgumentError('days', `a restore lasts a whole number of days >= 1, got ${request.days}`);
    const states = await this.storage(keys);
    // Checked before the first RestoreObject, so a request S3 would refuse for one key starts nothing.
    const hot = states.find((s) => s.storageClass === 'STANDARD');
    if (hot) throw new RestoreRequestError(`${hot.key} is in STANDARD and readable as it is: only GLACIER and DEEP_ARCHIVE objects are restored`);
    const deep = states.find((s) => s.storageClass === 'DEEP_ARCHIVE');
    if (request.tier === 'Expedited' && deep) {
      throw new RestoreRequestError(`${deep.key} is in DEEP_ARCHIVE, which offers no Expedited retrieval: use Standard (12 h) or Bulk (48 h)`);
    }
    await mapLimit(states, this.concurrency, (s) => this.restoreOne(s.key, request));
  }

  private async storageOf(key: string): Promise<ObjectStorage> {
    const head = await headObject(this.s3, key);
    if (!head) throw new EventNotFoundError(key);
    const storageClass = toStorageClass(head.StorageClass);
    if (storageClass === 'STANDARD') return { key, storageClass, restore: 'NONE' };
    const { restore, expiresAt } = parseRestoreHeader(head.Restore);
    return { key, storageClass, restore, ...(expiresAt !== undefined ? { restoreExpiresAt: expiresAt } : {}) };
  }

  private async restoreOne(key: string, request: RestoreRequest): Promise<void> {
    try {
      await withRetry(`RestoreObject ${key}`, () => this.s3.client.send(new RestoreObjectCommand({
        Bucket: this.s3.bucket, Key: key, RestoreRequest: { Days: request.days, GlacierJobParameters: { Tier: request.tier } },
      })), (e) => isThrottled(e) && errorCode(e) !== 'GlacierExpeditedRetrievalNotAvailable', this.s3.retry);
    } catch (error) {
      const code = errorCode(error);
      // Asking again while a restore runs changes nothing; the running restore completes as requested first.
      if (code === 'RestoreAlreadyInProgress') return;
      if (code === 'ObjectAlreadyInActiveTierError') throw new RestoreRequestError(`${key} is not archived: nothing to restore`, { cause: error });
      if (code === 'GlacierExpeditedRetrievalNotAvailable') {
        throw new RestoreRequestError(`Expedited retrieval capacity is unavailable for ${key}: retry later or use Standard`, { cause: error });
      }
      if (isNotFound(error)) throw new EventNotFoundError(key, { cause: error });
      throw error;
    }
  }
}

const LIFECYCLE_ARCHIVES = 'on AWS the bucket\'s lifecycle rules do the archiving (GLACIER, then DEEP_ARCHIVE, by object age; see ' +
  'lifecycleRules / the stack\'s lifecycle props), and its write-once policy refuses copying an object onto itself';

/** Warmer to colder: lifecycle transitions only ever increase it. */
const COLDNESS: Readonly<Record<StorageClass, number>> = { STANDARD: 0, GLACIER: 1, DEEP_ARCHIVE: 2 };

/** Options of `lifecycleRules` beyond the policy. */
export interface LifecycleRuleOptions {
  /** Days a replaced/deleted object version is kept on a versioned bucket (default 30). */
  readonly noncurrentVersionDays?: number;
  /** Only objects larger than this transition; omitted, S3's bucket-wide default minimum (128 KB unless changed) applies. */
  readonly minObjectBytes?: number;
}

/**
 * The S3 lifecycle rules (PutBucketLifecycleConfiguration / CloudFormation shape) that enforce `policy` on `events/`:
 * GLACIER after N days, DEEP_ARCHIVE after M, stale multipart uploads aborted, noncurrent versions and then their
 * expired delete markers removed.
 * Ages count from object creation, which for the log is the emit (or the compaction) of its events.
 * S3 skips objects under 128 KB by default; set the bucket's TransitionDefaultMinimumObjectSize to
 * `varies_by_storage_class` to archive small segments too (Glacier adds ~40 KB of billed overhead per object).
 * S3 requires DEEP_ARCHIVE to come at least 90 days after GLACIER; other policies throw `InvalidArgumentError`.
 *
 * @example
 * await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'my-lake', LifecycleConfiguration: { Rules: lifecycleRules() } }));
 */
export function lifecycleRules(policy: LifecyclePolicy = DEFAULT_LIFECYCLE, options: LifecycleRuleOptions = {}): LifecycleRule[] {
  const { glacierAfterDays: glacier, deepArchiveAfterDays: deep } = policy;
  if (!Number.isInteger(glacier) || glacier < 0) throw new InvalidArgumentError('glacierAfterDays', `must be a whole number of days >= 0, got ${glacier}`);
  if (!Number.isInteger(deep) || deep - glacier < 90) throw new InvalidArgumentError('deepArchiveAfterDays', `S3 requires at least 90 days in GLACIER first: use >= ${glacier + 90}, got ${deep}`);
  const filter = options.minObjectBytes === undefined
    ? { Prefix: EVENTS_PREFIX }
    : { And: { Prefix: EVENTS_PREFIX, ObjectSizeGreaterThan: options.minObjectBytes } };
  return [
    {
      ID: 'eventlake-archive-events',
      Status: 'Enabled',
      Filter: filter,
      Transitions: [{ Days: glacier, StorageClass: 'GLACIER' }, { Days: deep, StorageClass: 'DEEP_ARCHIVE' }],
    },
    { ID: 'eventlake-abort-incomplete-uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
    // Compaction deletes each hour's one-event objects once their segment is written: on the versioned bucket every
    // delete leaves a noncurrent version and a delete marker. This rule expires both: the versions after
    // noncurrentVersionDays, whatever their size (the archive rule's size filter would keep 1 KB ones forever), then
    // the markers left with no version behind them. Its own rule: ExpiredObjectDeleteMarker cannot sit beside an
    // Expiration of Days or Date.
    {
      ID: 'eventlake-expire-deleted-events',
      Status: 'Enabled',
      Filter: { Prefix: EVENTS_PREFIX },
      NoncurrentVersionExpiration: { NoncurrentDays: options.noncurrentVersionDays ?? 30 },
      Expiration: { ExpiredObjectDeleteMarker: true },
    },
  ];
}
