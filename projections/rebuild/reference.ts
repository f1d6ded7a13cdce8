// The reference fold a rebuild computes while its replay reads the log, and the checks that let it stand in for a
// second read of the log when the rebuilt generation is verified against the log in the same run.
//
// Why it may stand in: `verify --against log` compares the store with the in-memory reference fold
// (domain/projection.ts applyToState) of every event the index holds up to the mark, read from the log. Reading the
// log a second time to get those events costs as much as the replay itself. The events replay already read ARE those
// events, read by the same reader — provided the replay read each of them exactly once, in replay order. So this
// module folds the events as the reader hands them to the replay (before the store sees them; the fold is the domain
// code, not the store's) and records what it needs to prove that proviso afterwards:
//   - every event read is the one its index entry names (id and EventTimeStamp, from the event's own bytes),
//   - entries arrive in strictly increasing (EventTimeStamp, id) order within the pass (no doubles, no wrong order),
//   - no event folds as a duplicate,
//   - the digest of the positions read (count and two hash sums) equals the digest the index computes itself over
//     the plan's range (checked by verify.ts): nothing missed, nothing extra.
// Any check failing, or a replay this reference did not watch from its first event (a resumed rebuild, a snapshot
// base), makes verification read the log again instead. The store is still read back and compared in full.

import type { DomainEvent } from '../../domain/event.ts';
import { compareEvents, eventId } from '../../domain/event.ts';
import type { IndexEntry } from '../../domain/ports/event-index.ts';
import type { FoldState, Projection } from '../../domain/projection.ts';
import { applyToState } from '../../domain/projection.ts';
import type { AppliedDigest, Compared } from './compare.ts';
import { PackedAppliedRecords } from './packed-applied-records.ts';
import type { PositionRange, RebuildDeps, ReplayEntry } from './deps.ts';
import { PositionDigester, type PositionDigest } from './position-digest.ts';
import type { OnArchived } from './read-events.ts';
import { EventReader } from './read-events.ts';

/**
 * Whether `id` is `eventId(event)`, without building that string: comparing a freshly concatenated id costs about
 * a microsecond (the concatenation is flattened first), a million times per rebuild.
 */
function isIdOf(id: string, event: DomainEvent): boolean {
  const type = event.EventType;
  const requestId = event.RequestId;
  if (typeof type !== 'string' || typeof requestId !== 'string') return eventId(event) === id;
  return id.length === type.length + 1 + requestId.length && id.charCodeAt(type.length) === 95 /* _ */ && id.startsWith(type) && id.endsWith(requestId);
}

/** The fold of a rebuild's replay, and whether it may stand for a direct fold of the log. */
export class ReplayReference {
  /** The fold's idempotency records, packed: one per event read, the only part of the fold that grows with the log. */
  private readonly records = new PackedAppliedRecords({ digested: true });
  private readonly fold: FoldState = { counters: new Map(), rows: new Map(), applied: this.records };
  private readonly digester = new PositionDigester();
  private last: ReplayEntry | undefined;
  private passes = 0;
  private reached: number | undefined;
  /** The first reason this fold cannot stand for a fold of the log (undefined while none was found). */
  private problem: string | undefined;

  /**
   * @param projection the projection the replay applies
   * @param generation the generation the replay fills
   * @param range the plan's range, which must start at position 0 (a fold of the log starts from nothing)
   */
  constructor(readonly projection: Projection, readonly generation: number, readonly range: PositionRange) {
    if (range.after !== 0) this.problem = `the replay starts after position ${range.after} (a snapshot)`;
  }

  /** The replay starts a pass over (a part of) its range; a fresh rebuild has exactly one. */
  startPass(): void {
    this.passes++;
    this.last = undefined;
    if (this.passes > 1) this.problem ??= 'the replay ran in more than one pass';
  }

  /** Fold the events the reader returned for these entries (in the order read), checking each against its entry. */
  observe(entries: readonly ReplayEntry[], events: readonly DomainEvent[]): void {
    if (entries.length !== events.length) this.problem ??= `the reader returned ${events.length} events for ${entries.length} entries`;
    for (let i = 0; i < events.length; i++) {
      const entry = entries[i]!;
      const event = events[i]!;
      const matches = event.EventTimeStamp === entry.timestamp && isIdOf(entry.id, event);
      if (!matches) this.problem ??= `read ${eventId(event)} for index entry ${entry.id}`;
      if (this.last && compareEvents(this.last, entry) >= 0) this.problem ??= `${entry.id} was read after ${this.last.id} (not in replay order, or twice)`;
      this.last = entry;
      this.digester.add(entry.position);
      // The entry's id is the event's identity once checked: the fold looks it up as is, instead of building it anew.
      if (applyToState(this.fold, this.projection, event, matches ? entry.id : undefined) === 'duplicate') this.problem ??= `${entry.id} was read twice`;
    }
  }

  /**
   * The replay reached `mark` without an error. The fold's idempotency records are digested and let go now: only
   * their digest is compared, and holding a record per event until verification would only grow the heap.
   */
  finish(mark: number): void {
    this.reached = mark;
    this.appliedDigest = this.records.digest();
    this.records.clear();
  }

  /**
   * The fold's counters and rows, complete for `range` once `finish` was called. Its idempotency records are kept
   * packed while the replay runs, and only as their digest once it finished (`appliedDigest`).
   */
  get state(): Compared {
    return this.fold;
  }

  /** The digest of the fold's idempotency records, once `finish` was called. */
  appliedDigest: AppliedDigest | undefined;

  /** The positions read, as a digest to compare with the index's. */
  digest(): PositionDigest {
    return this.digester.digest();
  }

  /** Why this fold cannot stand for a direct fold of the log up to `mark` (undefined: it can, once the digest matches). */
  unusableFor(mark: number): string | undefined {
    if (this.problem) return this.problem;
    if (this.reached === undefined) return 'the replay did not finish';
    if (this.reached !== mark || this.range.upTo !== mark) return `the replay reached position ${this.reached}, the generation is at ${mark}`;
    return undefined;
  }
}

/** An `EventReader` that hands every batch it reads to a `ReplayReference` before returning it to the replay. */
export class ObservedReader extends EventReader {
  constructor(deps: Pick<RebuildDeps, 'log' | 'upcast'>, onArchived: OnArchived, private readonly reference: ReplayReference) {
    super(deps, onArchived);
  }

  override async read(entries: readonly IndexEntry[]): Promise<DomainEvent[]> {
    const events = await super.read(entries);
    // The replay passes its ReplayEntry list (deps.ts forReading): position, id, timestamp and location are there.
    this.reference.observe(entries as unknown as readonly ReplayEntry[], events);
    return events;
  }
}
