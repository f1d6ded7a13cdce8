// The ports a rebuild runs against, and the small helpers every phase shares (index scans, clocks, batching).

import type { DomainEvent } from '../../domain/event.ts';
import { compareEvents } from '../../domain/event.ts';
import type { ArchiveTier } from '../../domain/ports/archive-tier.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import type { EventIndex, IndexEntry } from '../../domain/ports/event-index.ts';
import type { EventLocation, EventLog } from '../../domain/ports/event-log.ts';
import type { ProjectionStore } from '../../domain/ports/projection-store.ts';
import type { SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';

/**
 * What the rebuild coordinator needs. An assembled `LocalEventlake` (or its AWS counterpart) satisfies it as is.
 *
 * @example
 * const coordinator = new RebuildCoordinator(local, local.projections);
 */
export interface RebuildDeps {
  readonly index: EventIndex;
  readonly log: EventLog;
  readonly store: ProjectionStore;
  readonly snapshots: SnapshotStore;
  readonly archive: ArchiveTier;
  /** Remembers which generation a projection's unfinished rebuild fills, so a new run resumes it. */
  readonly checkpoints?: CheckpointStore;
  /** Upcast an event read from the log to its type's latest version (identity when absent). */
  readonly upcast?: (event: DomainEvent) => DomainEvent;
  /** Position up to which the live generation is complete (the dispatch checkpoint); default: the last indexed. */
  readonly dispatchedPosition?: () => Promise<number>;
  /** Waits between restore polls (injectable so tests do not sleep). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Monotonic milliseconds for phase timings and rates (not the wall clock, which demos move). */
  readonly elapsed?: () => number;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
export const defaultElapsed = (): number => performance.now();

/** Which indexed events a range covers: positions in (after, upTo], and with `until` only EventTimeStamp*1000 < until. */
export interface PositionRange {
  readonly after: number;
  readonly upTo: number;
  /** Epoch ms; events at or after it in event time are left out. */
  readonly until?: number;
}

const PAGE = 1000;

/**
 * Calls `visit` with every index entry of the range, in position order, one page at a time: a caller that keeps
 * only what it needs (counts, keys) never holds the whole range.
 */
export async function forEachEntry(index: EventIndex, range: PositionRange, visit: (entry: IndexEntry) => void): Promise<void> {
  let after = range.after;
  while (after < range.upTo) {
    const page = await index.afterPosition(after, PAGE);
    for (const e of page.entries) {
      if (e.position > range.upTo) return;
      if (range.until === undefined || e.timestamp * 1000 < range.until) visit(e);
    }
    if (page.entries.length === 0 || page.next <= after) break;
    after = page.next;
  }
}

/** Every index entry of the range, in position order. */
export async function entriesIn(index: EventIndex, range: PositionRange): Promise<IndexEntry[]> {
  const out: IndexEntry[] = [];
  await forEachEntry(index, range, (e) => { out.push(e); });
  return out;
}

/**
 * What reading an event back and ordering it need of its index entry. A pass holds one per event: without the
 * accounts, type, size and restore state, a million of them take about half the memory of full entries.
 */
export interface ReplayEntry {
  readonly id: string;
  readonly timestamp: number;
  readonly location: EventLocation;
  readonly storageClass: StorageClass;
}

/** The replay entries of a range (in position order). */
export async function replayEntriesIn(index: EventIndex, range: PositionRange): Promise<ReplayEntry[]> {
  const out: ReplayEntry[] = [];
  await forEachEntry(index, range, (e) => { out.push({ id: e.id, timestamp: e.timestamp, location: e.location, storageClass: e.storageClass }); });
  return out;
}

/**
 * Replay entries as `EventReader.read` takes them. It reads `id` and `location` only, but its signature asks for
 * whole entries (read-events.ts is not this module's to change; wanted there: `Pick<IndexEntry, 'id' | 'location'>`).
 */
export function forReading(entries: readonly ReplayEntry[]): readonly IndexEntry[] {
  return entries as unknown as readonly IndexEntry[];
}

/** Entries in the deterministic replay order: EventTimeStamp, then identity. */
export function replayOrder(entries: readonly IndexEntry[]): IndexEntry[] {
  return [...entries].sort(compareEvents);
}

/** Consecutive slices of at most `size`. */
export function* batches<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
