// S3EventLog: the event log on S3 — one object per event written once with a conditional PUT, the local layout's keys.

import { createHash } from 'node:crypto';
import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { ArchivedEventError, EventConflictError, TransientError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { eventId, eventKey, SEGMENT_OBJECT_SUFFIX, serializeEvent } from '../../domain/event.ts';
import type { AppendResult, AppendStatus, EventLocation, EventLog, LocatedEvent, LogObject } from '../../domain/ports/event-log.ts';
import { contentDigest } from '../../projections/event-digest.ts';
import type { DynamoDbIdentityClaims } from './dynamodb-identity-claims.ts';
import { isThrottled } from './errors.ts';
import { claimedObjectExists } from './s3-claimed-object.ts';
import type { RetryOptions } from './retry.ts';
import { mapLimit, withRetry } from './retry.ts';
import type { S3Location } from './s3-objects.ts';
import { getBytes, getBytesIfExists, headObject, putIfAbsent, SHA256_METADATA, sha256Hex } from './s3-objects.ts';

export interface S3EventLogOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** S3 calls of one batch in flight at once (default 16). */
  readonly concurrency?: number;
  /** Keys per ListObjectsV2 page (S3's default and maximum is 1000). */
  readonly listPageSize?: number;
  readonly retry?: RetryOptions;
  /**
   * Where identities are claimed before their objects are written (DynamoDbIdentityClaims on the control table): the
   * same RequestId with another EventTimeStamp goes to another key, which S3's conditional PUT cannot see. Without it
   * (the Lambdas, which never append) only the key itself is guarded.
   */
  readonly claims?: Pick<DynamoDbIdentityClaims, 'claim'>;
}

interface Item { readonly id: string; readonly key: string; readonly bytes: Buffer }

/** DeleteObjects takes at most 1000 keys per request. */
const DELETE_CHUNK = 1000;

/**
 * The event log in an S3 bucket. Objects are created with `If-None-Match: *`, so two writers racing on one
 * identity cannot overwrite each other: the loser gets a 412 and compares bytes (duplicate or conflict).
 *
 * @example
 * const log = new S3EventLog({ client: new S3Client({}), bucket: 'my-lake' });
 * const [r] = await log.append([event]); // { id, key: 'events/year=…/….event', status: 'stored', size }
 */
export class S3EventLog implements EventLog {
  private readonly s3: S3Location;
  private readonly concurrency: number;
  private readonly listPageSize: number | undefined;
  private readonly claims: Pick<DynamoDbIdentityClaims, 'claim'> | undefined;

  constructor(options: S3EventLogOptions) {
    this.s3 = { client: options.client, bucket: options.bucket, ...(options.retry ? { retry: options.retry } : {}) };
    this.concurrency = options.concurrency ?? 16;
    this.listPageSize = options.listPageSize;
    this.claims = options.claims;
  }

  async append(events: readonly DomainEvent[]): Promise<AppendResult[]> {
    const items = events.map((e): Item => ({ id: eventId(e), key: eventKey(e), bytes: Buffer.from(`${serializeEvent(e)}\n`) }));
    const unique = new Map<string, Item & { readonly at: number }>();
    items.forEach((item, i) => {
      const seen = unique.get(item.id);
      if (seen && !seen.bytes.equals(item.bytes)) throw new EventConflictError(item.id, seen.key, { positions: [seen.at, i] });
      if (!seen) unique.set(item.id, { ...item, at: i });
    });
    const distinct = [...unique.values()];
    // Every identity is checked before the first write, so a conflicting batch writes nothing (the port's rule).
    // The conditional PUT below still guards against a writer that races us between check and write.
    const found = await mapLimit(distinct, this.concurrency, (item) => this.compareStored(item));
    // Claimed after the reads (a refused batch writes no claim) and before the first PUT, so "stored" is honest.
    // A claim held for other content whose object was never written (a crashed writer's) may be replaced once stale.
    await this.claims?.claim(distinct.map((item) => ({ id: item.id, key: item.key, digest: contentDigest(item.bytes.toString('utf8', 0, item.bytes.length - 1)) })),
      (key) => claimedObjectExists(this.s3, key));
    const status = new Map<string, AppendStatus>();
    await mapLimit(distinct, this.concurrency, async (item, i) => {
      status.set(item.id, found[i] === 'same' ? 'duplicate' : await this.create(item));
    });
    const firstIndex = new Map<string, number>();
    return items.map((item, i) => {
      const first = firstIndex.get(item.id) ?? (firstIndex.set(item.id, i), i);
      return { id: item.id, key: item.key, location: { key: item.key }, status: first === i ? status.get(item.id)! : 'duplicate', size: item.bytes.length };
    });
  }

  async read(location: EventLocation): Promise<DomainEvent> {
    const range = location.offset !== undefined && location.length !== undefined ? { offset: location.offset, length: location.length } : undefined;
    const bytes = await getBytes(this.s3, location.key, range);
    return JSON.parse(bytes.toString('utf8').replace(/\n$/, '')) as DomainEvent;
  }

  readObjectBytes(key: string): Promise<Uint8Array> {
    return getBytes(this.s3, key);
  }

  async *readObject(key: string): AsyncIterable<LocatedEvent> {
    const bytes = await getBytes(this.s3, key);
    const segment = key.endsWith(SEGMENT_OBJECT_SUFFIX);
    for (let offset = 0; offset < bytes.length;) {
      const newline = bytes.indexOf(10, offset);
      const end = newline < 0 ? bytes.length : newline;
      if (end > offset) {
        const event = JSON.parse(bytes.subarray(offset, end).toString('utf8')) as DomainEvent;
        yield { event, location: segment ? { key, offset, length: end - offset } : { key } };
      }
      offset = end + 1;
    }
  }

  async *list(prefix: string): AsyncIterable<LogObject> {
    let token: string | undefined;
    do {
      const page = await withRetry(`ListObjectsV2 ${prefix}`, () => this.s3.client.send(new ListObjectsV2Command({
        Bucket: this.s3.bucket, Prefix: prefix,
        ...(this.listPageSize ? { MaxKeys: this.listPageSize } : {}), ...(token ? { ContinuationToken: token } : {}),
      })), isThrottled, this.s3.retry);
      for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, size: o.Size ?? 0 };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async writeSegment(key: string, lines: readonly string[]): Promise<{ size: number; locations: EventLocation[] }> {
    const locations: EventLocation[] = [];
    let offset = 0;
    for (const line of lines) {
      const length = Buffer.byteLength(line);
      locations.push({ key, offset, length });
      offset += length + 1;
    }
    // Checked first like an append (s3rver and older S3-compatible stores ignore If-None-Match); the same bytes
    // again are a retried compaction and fine, other bytes under the key would rewrite history.
    const segment: Item = { id: key, key, bytes: Buffer.from(lines.map((l) => `${l}\n`).join('')) };
    if ((await this.compareStored(segment)) === 'absent') await this.create(segment);
    return { size: offset, locations };
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_CHUNK) await this.deleteChunk(keys.slice(i, i + DELETE_CHUNK));
  }

  /** Whether `item`'s identity is stored with the same bytes ('same'), not stored ('absent'), or conflicts (throws). */
  private async compareStored(item: Item): Promise<'same' | 'absent'> {
    let stored: Buffer | undefined;
    try {
      stored = await getBytesIfExists(this.s3, item.key);
    } catch (error) {
      if (error instanceof ArchivedEventError) return this.compareArchived(item, error);
      throw error;
    }
    if (stored === undefined) return 'absent';
    if (stored.equals(item.bytes)) return 'same';
    throw new EventConflictError(item.id, item.key);
  }

  /**
   * An archived object's bytes cannot be read, but its HeadObject can: the SHA-256 stored with it decides (equal: a
   * duplicate, other: a conflict). For objects written without one, a single-part PUT's ETag is the MD5 of its bytes
   * unless SSE-KMS encrypted it (as the stack's bucket does), and another length is a conflict; else only a restore can tell.
   */
  private async compareArchived(item: Item, archived: ArchivedEventError): Promise<'same'> {
    const head = await headObject(this.s3, item.key);
    const stored = head?.Metadata?.[SHA256_METADATA];
    if (stored !== undefined) {
      if (stored === sha256Hex(item.bytes)) return 'same';
      throw new EventConflictError(item.id, item.key, { cause: archived });
    }
    if (head?.ETag === `"${createHash('md5').update(item.bytes).digest('hex')}"`) return 'same';
    if (head?.ContentLength !== undefined && head.ContentLength !== item.bytes.length) throw new EventConflictError(item.id, item.key, { cause: archived });
    throw archived;
  }

  private async create(item: Item): Promise<AppendStatus> {
    if ((await putIfAbsent(this.s3, item.key, item.bytes.toString('utf8'))) === 'created') return 'stored';
    // 412: a concurrent writer created the key after our check. Same bytes: a duplicate; other bytes: a conflict.
    // (It can also be our own PUT, retried by the SDK after a lost response; reporting it a duplicate is harmless.)
    if ((await this.compareStored(item)) === 'same') return 'duplicate';
    throw new TransientError(`PutObject ${item.key} reported an existing object that is no longer there; retry the append`);
  }

  private async deleteChunk(keys: readonly string[]): Promise<void> {
    let pending = keys;
    await withRetry(`DeleteObjects (${keys.length} keys)`, async () => {
      const out = await this.s3.client.send(new DeleteObjectsCommand({
        Bucket: this.s3.bucket, Delete: { Objects: pending.map((Key) => ({ Key })), Quiet: true },
      }));
      const failed = out.Errors ?? [];
      if (failed.length === 0) return;
      const fatal = failed.find((e) => !isThrottled({ name: e.Code }));
      if (fatal) throw new Error(`DeleteObjects could not remove ${fatal.Key}: ${fatal.Code} ${fatal.Message ?? ''}`.trim());
      pending = failed.flatMap((e) => (e.Key ? [e.Key] : []));
      throw Object.assign(new Error(`DeleteObjects: ${pending.length} keys throttled`), { name: failed[0]?.Code ?? 'SlowDown' });
    }, isThrottled, this.s3.retry);
  }
}
