// S3 storage-class changes and restores of log objects, recorded in the index: the indexer's second kind of event.
//
// On AWS the bucket's lifecycle rules archive objects without any request of ours, so nothing else tells the index.
// An index that still says STANDARD for an archived segment makes a rebuild plan no restores (and no cost), then
// meet the archived objects one at a time while replaying.

import { EventNotFoundError } from '../../../domain/errors.ts';
import { EVENTS_PREFIX } from '../../../domain/event.ts';
import type { ArchiveTier } from '../../../domain/ports/archive-tier.ts';
import type { EventIndex } from '../../../domain/ports/event-index.ts';
import type { ObjectStorage } from '../../../domain/ports/storage.ts';
import { s3ObjectKey, type BusEvent } from './envelopes.ts';

/**
 * The S3 EventBridge detail types the stack routes to the indexer besides "Object Created". "Object Restore Initiated"
 * is how the index learns a restore is running (HeadObject then says `ongoing-request="true"`: RESTORING), which query
 * reports as `restoring` rather than as an object nobody asked for.
 */
export const STORAGE_CHANGE_TYPES = ['Object Storage Class Changed', 'Object Restore Initiated', 'Object Restore Completed', 'Object Restore Expired'] as const;

/** True for an S3 event about a stored object's storage class or restored copy. */
export function isStorageChange(event: BusEvent): boolean {
  return (STORAGE_CHANGE_TYPES as readonly string[]).includes(event['detail-type']);
}

export interface StorageChangeDeps {
  readonly archive: Pick<ArchiveTier, 'storage'>;
  readonly index: Pick<EventIndex, 'setObjectStorage'>;
}

/**
 * Record the object's storage state in the index, as S3 reports it now (HeadObject), not as the event says: S3
 * events may come late, twice or out of order, and "Object Restore Expired" carries no storage class. Returns the
 * state recorded, or undefined when the key is not a log object or the object is gone (compaction removed it).
 */
export async function recordStorageChange(deps: StorageChangeDeps, event: BusEvent): Promise<{ key: string; state?: Pick<ObjectStorage, 'storageClass' | 'restore'> }> {
  const key = s3ObjectKey(event, STORAGE_CHANGE_TYPES);
  if (!key.startsWith(EVENTS_PREFIX)) return { key };
  let now: ObjectStorage | undefined;
  try {
    [now] = await deps.archive.storage([key]);
  } catch (error) {
    if (error instanceof EventNotFoundError) return { key };
    throw error;
  }
  if (!now) return { key };
  // Only entries that point at this object change (setObjectStorage is conditional on the location).
  await deps.index.setObjectStorage(key, now.storageClass, now.restore);
  return { key, state: { storageClass: now.storageClass, restore: now.restore } };
}
