// Object-level S3 calls the S3 adapters share: read bytes, create-if-absent, head; retried and mapped to domain errors.

import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { EventNotFoundError } from '../../domain/errors.ts';
import { isConditionalConflict, isNotFound, isPreconditionFailed, isThrottled, readError } from './errors.ts';
import type { RetryOptions } from './retry.ts';
import { withRetry } from './retry.ts';

/** Where the adapter's objects live, and how hard to retry. */
export interface S3Location {
  readonly client: S3Client;
  readonly bucket: string;
  readonly retry?: RetryOptions;
}

/** Content type of every log object: one-event objects and segments are both NDJSON. */
export const NDJSON = 'application/x-ndjson';

/**
 * User metadata (`x-amz-meta-eventlake-sha256`) holding the hex SHA-256 of an object's bytes, written with the object.
 * HeadObject returns it for archived objects too, whose bytes cannot be read without a restore; the ETag cannot stand
 * in for it, being the MD5 of the bytes only for unencrypted or SSE-S3 single-part uploads, not under SSE-KMS.
 */
export const SHA256_METADATA = 'eventlake-sha256';

/** Hex SHA-256 of `bytes` (strings as UTF-8), as stored under SHA256_METADATA. */
export function sha256Hex(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Bytes of an object, or of `length` bytes at `offset` (an HTTP Range, both ends inclusive).
 * Throws `EventNotFoundError`, `ArchivedEventError` or `TransientError`.
 */
export async function getBytes(s3: S3Location, key: string, range?: { offset: number; length: number }): Promise<Buffer> {
  const ref = range ? `${key}@${range.offset}+${range.length}` : key;
  try {
    return await withRetry(`GetObject ${ref}`, async () => {
      const out = await s3.client.send(new GetObjectCommand({
        Bucket: s3.bucket,
        Key: key,
        ...(range ? { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {}),
      }));
      if (!out.Body) throw new EventNotFoundError(ref);
      return Buffer.from(await out.Body.transformToByteArray());
    }, isThrottled, s3.retry);
  } catch (error) {
    throw readError(error, key, ref);
  }
}

/** Bytes of an object, or undefined when there is none. Archived objects still throw `ArchivedEventError`. */
export async function getBytesIfExists(s3: S3Location, key: string): Promise<Buffer | undefined> {
  try {
    return await getBytes(s3, key);
  } catch (error) {
    if (error instanceof EventNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Create the object unless the key exists (`If-None-Match: *`), with its SHA-256 as metadata. Returns `exists` on
 * 412 so the caller can compare contents. A 409 (a concurrent conditional write on the key) and throttling are retried.
 */
export async function putIfAbsent(s3: S3Location, key: string, body: string): Promise<'created' | 'exists'> {
  const digest = sha256Hex(body);
  return withRetry(`PutObject ${key}`, async () => {
    try {
      await s3.client.send(new PutObjectCommand({
        Bucket: s3.bucket, Key: key, Body: body, ContentType: NDJSON, IfNoneMatch: '*', Metadata: { [SHA256_METADATA]: digest },
      }));
      return 'created';
    } catch (error) {
      if (isPreconditionFailed(error)) return 'exists';
      throw error;
    }
  }, (e) => isConditionalConflict(e) || isThrottled(e), s3.retry);
}

/** HeadObject, or undefined when the key does not exist. */
export async function headObject(s3: S3Location, key: string): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await withRetry(`HeadObject ${key}`, () => s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key })), isThrottled, s3.retry);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
