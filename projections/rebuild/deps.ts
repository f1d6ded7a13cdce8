// The ports a rebuild runs against, and the small helpers every phase shares (index scans, clocks, batching).

import type { DomainEvent } from '../../domain/event.ts';
import { compareEvents } from '../../domain/event.ts';
import type { ArchiveTier } from '../../domain/ports/archive-tier.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import type { EventIndex, IndexEntry } from '../../domain/ports/event-index.ts';
import type { EventLocation, EventLog } from '../../domain/ports/event-log.ts';
import type { ProjectionStore } from '../../domain/ports/projection-store.ts';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import type { Upcast, UpcasterStep } from '../../schemas/upcasters.ts';
import { PositionDigester, type PositionDigest } from './position-digest.ts';
import type { RebuildSnapshots } from './restore-adoption.ts';

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
  /** A plain SnapshotStore, or one whose restores outlive the call (restore-adoption.ts). */
  readonly snapshots: RebuildSnapshots;
  readonly archive: ArchiveTier;
  /**
   * Remembers which generation a projection's unfinished rebuild fills, so a new run resumes it, and holds each
   * projection's rebuild lease (rebuild-lease.ts), so two rebuilds of one projection never run at once. Without it
   * nothing is locked: the caller must make sure only one rebuild of a projection runs.
   */
  readonly checkpoints?: CheckpointStore;
  /**
   * Wall clock for rebuild leases, epoch ms (default Date.now). Not a LocalEventlake's `now`: demos move that one, and
   * a lease's expiry must mean the same instant to every process that reads it.
   */
  readonly leaseClock?: () => number;
  /** How long a rebuild lease holds without renewal (default DEFAULT_REBUILD_LEASE_MS, 5 minutes). */
  readonly leaseTtlMs?: number;
  /** Validates each replayed event against the schema of its stored version (replay refuses to run without one). */
  readonly registry: {
    validate(input: unknown): DomainEvent;
    /** The upcasters events reach projections through: part of the rules a rebuild records (rules-fingerprint.ts). */
    upcasterSteps?(): readonly UpcasterStep[];
  };
  /** Upcast an event read from the log to its type's latest version (identity when absent); `owned` used where given. */
  readonly upcast?: Upcast;
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
  /** Ingestion position (what the replay set is defined by, and what verification digests). */
  readonly position: number;
}

/** Events and bytes of a range sharing one storage class, restore state and object (`key` null: one-event objects, one each). */
export interface RangeGroup {
  readonly storageClass: StorageClass;
  readonly restore: RestoreState;
  readonly key: string | null;
  readonly events: number;
  readonly bytes: number;
}

/** A place in replay order: the last entry applied. */
export interface ReplayCursor {
  readonly timestamp: number;
  readonly id: string;
}

/**
 * What an index may offer beyond the port so rebuild scans stay lean (SqliteEventIndex does): the scans a rebuild
 * makes of a whole range, answered without building an `IndexEntry` (accounts parsed, types shared) per event.
 * Indexes without them are scanned page by page through `afterPosition`, with the same results.
 */
export interface RangeScans {
  /** The replay entries of the range, in position order. */
  replayEntries(range: PositionRange): Promise<ReplayEntry[]>;
  /** The next `limit` replay entries of the range after `cursor` (all from the start without one), in replay order. */
  replayEntriesAfter(range: PositionRange, cursor: ReplayCursor | undefined, limit: number): Promise<ReplayEntry[]>;
  /** How many entries of the range come after `cursor` in replay order. */
  countAfter(range: PositionRange, cursor: ReplayCursor | undefined): Promise<number>;
  /** Events and bytes of the range per storage class, restore state and object. */
  summarize(range: PositionRange): Promise<RangeGroup[]>;
  /** The digest of the range's positions, read on their own (a scan of one integer column). */
  positionDigest(range: PositionRange): Promise<PositionDigest>;
}

export function rangeScansOf(index: EventIndex): RangeScans | undefined {
  const candidate = index as Partial<RangeScans>;
  const methods = [candidate.replayEntries, candidate.replayEntriesAfter, candidate.countAfter, candidate.summarize, candidate.positionDigest];
  return methods.every((m) => typeof m === 'function') ? (candidate as RangeScans) : undefined;
}

/** The replay entries of a range (in position order). */
export async function replayEntriesIn(index: EventIndex, range: PositionRange): Promise<ReplayEntry[]> {
  const lean = rangeScansOf(index);
  if (lean) return lean.replayEntries(range);
  const out: ReplayEntry[] = [];
  await forEachEntry(index, range, (e) => { out.push({ id: e.id, timestamp: e.timestamp, location: e.location, storageClass: e.storageClass, position: e.position }); });
  return out;
}

/** Events and bytes of a range per storage class, restore state and object. */
export async function summarizeRange(index: EventIndex, range: PositionRange): Promise<RangeGroup[]> {
  const lean = rangeScansOf(index);
  if (lean) return lean.summarize(range);
  const groups = new Map<string, { storageClass: StorageClass; restore: RestoreState; key: string; events: number; bytes: number }>();
  await forEachEntry(index, range, (e) => {
    const id = `${e.storageClass}/${e.restore}/${e.location.key}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { storageClass: e.storageClass, restore: e.restore, key: e.location.key, events: 0, bytes: 0 }));
    g.events++;
    g.bytes += e.size;
  });
  return [...groups.values()];
}

/** The digest of the positions the index holds for a range (natively when the index can, else page by page). */
export async function positionDigestOf(index: EventIndex, range: PositionRange): Promise<PositionDigest> {
  const lean = rangeScansOf(index);
  if (lean) return lean.positionDigest(range);
  const digester = new PositionDigester();
  await forEachEntry(index, range, (e) => digester.add(e.position));
  return digester.digest();
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
