// Whether the key an identity claim names holds its event in S3: what lets a crashed writer's claim be replaced.

import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { isThrottled } from './errors.ts';
import { withRetry } from './retry.ts';
import { headObject, type S3Location } from './s3-objects.ts';

/**
 * True when the object at `key` exists, or when its hour holds a compacted segment: compaction deletes the one-event
 * objects it copied into segments, so a missing object there may be a compacted event, and only "no object, no
 * segment" means no PUT ever happened. Conservative by design: a stolen claim would store the identity twice, a kept
 * one only keeps refusing other content (as before claims could be replaced).
 */
export async function claimedObjectExists(s3: S3Location, key: string): Promise<boolean> {
  if (await headObject(s3, key)) return true;
  const prefix = `${key.slice(0, key.lastIndexOf('/') + 1)}segment`;
  const page = await withRetry(`ListObjectsV2 ${prefix}`, () => s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix, MaxKeys: 1 })), isThrottled, s3.retry);
  return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
}
