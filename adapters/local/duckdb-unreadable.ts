// What a local query over a range misses: the range's archived objects without a readable copy, and which of them
// are being restored (so the operator waits for that restore instead of requesting another).

import type { QueryResult } from '../../domain/ports/event-query.ts';
import type { ObjectStorage } from '../../domain/ports/storage.ts';
import type { TimeRange } from '../../domain/query-params.ts';
import { hasReadableCopy, unreadableObjects } from './duckdb-partitions.ts';

/** Lookups that narrow and qualify the unreadable objects; both optional (see DuckDbEventQueryOptions). */
export interface UnreadableLookups {
  /** Of `keys`, those the index knows hold no event in `range`. */
  readonly withoutEventsIn?: (keys: readonly string[], range: TimeRange) => Promise<ReadonlySet<string>>;
  /** The archive tier's restore state of `keys` (`ArchiveTier.storage`). */
  readonly restores?: (keys: readonly string[]) => Promise<readonly Pick<ObjectStorage, 'key' | 'restore'>[]>;
}

/** A result's `unreadable` objects and, when the tier was asked, which of them are being restored. */
export type MissingObjects = Pick<QueryResult, 'unreadable' | 'restoring'>;

/**
 * The range's unrestored archived objects, less those the index knows hold no event in it, and which of them are
 * being restored. The tier is asked only about what is left (a primary-key lookup each, no scan). Asking completes a
 * restore that came due (its copy is made before its state says so): such an object is readable by the time the
 * caller lists the range's readable files, which it must do after this, so it is left out.
 */
export async function missingObjects(dataDir: string, range: TimeRange, lookups: UnreadableLookups): Promise<MissingObjects> {
  let keys = unreadableObjects(dataDir, range);
  if (keys.length > 0 && lookups.withoutEventsIn !== undefined) {
    const outside = await lookups.withoutEventsIn(keys, range);
    keys = keys.filter((k) => !outside.has(k));
  }
  if (lookups.restores === undefined) return { unreadable: keys };
  if (keys.length === 0) return { unreadable: keys, restoring: [] };
  const running = new Set((await lookups.restores(keys)).filter((s) => s.restore === 'RESTORING').map((s) => s.key));
  const unreadable = keys.filter((k) => !hasReadableCopy(dataDir, k));
  return { unreadable, restoring: unreadable.filter((k) => running.has(k)) };
}
