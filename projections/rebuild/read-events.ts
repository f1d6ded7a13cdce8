// Reading indexed events back from the log, one object at a time: a segment is read once, not once per event,
// and, given a schema registry (replay requires one), every event is validated against its stored version's schema.

import { isAscii } from 'node:buffer';
import { ArchivedEventError, EventNotFoundError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { eventId } from '../../domain/event.ts';
import type { EventIndex, IndexEntry } from '../../domain/ports/event-index.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import type { RebuildDeps } from './deps.ts';
import { parseLine, scannedEvent, weightOf, type Segment } from './read-segment-lines.ts';

/** Called when an object turns out to be archived and unreadable; resolve once it is readable again. */
export type OnArchived = (key: string, error: ArchivedEventError) => Promise<void>;

/** What replay validates with: `SchemaRegistry` satisfies it (throws a typed error naming the event and fields). */
export interface EventValidator {
  validate(input: unknown): DomainEvent;
  /** `validate` for an event read back from the log, whose errors name the schema to fix; used when present. */
  validateStored?(input: unknown): DomainEvent;
}

/**
 * What the reader needs. An assembled eventlake (`LocalEventlake`, the AWS runtime) passes as is: its `registry`
 * validates every event read, against the schema of the version it is stored at (before the upcast); the first
 * invalid event throws the registry's typed error (`SchemaValidationError` naming the event and fields,
 * `UnknownEventTypeError`, `UnknownSchemaVersionError`, `EventTooLargeError`), so nothing of its batch is returned.
 */
export type ReaderDeps = Pick<RebuildDeps, 'log' | 'upcast'> & {
  readonly registry?: EventValidator;
  /** Where an event compacted since its entry was paged is now (see `relocated`); without it, such a read fails. */
  readonly index?: Pick<EventIndex, 'get'>;
};

/** Bytes of objects the reader keeps: replay order interleaves the objects of one hour (batch objects, a segment). */
export const READER_CACHE_BYTES = 16 * 1024 * 1024;

const same = (event: DomainEvent): DomainEvent => event;
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

function sameLocation(a: EventLocation, b: EventLocation): boolean {
  return a.key === b.key && a.offset === b.offset && a.length === b.length;
}

/**
 * Reads the events of index entries through the registry's upcast. Keeps the objects it read most recently (up to
 * `cacheBytes`), so entries in replay order (time order: an hour's objects are needed together) read each once.
 *
 * Why segments are parsed at their indexed offsets: the index already says where each event's line is, so a
 * replay parses only the lines it needs, synchronously, with no per-event async iteration or identity map.
 */
export class EventReader {
  /** Least recently used first. */
  private readonly segments = new Map<string, Segment>();
  private cachedBytes = 0;
  /** Objects read so far (segments and one-event objects). */
  objectsRead = 0;
  /** Whether every event read is validated (the reader has a registry); replay refuses a reader that does not. */
  readonly validates: boolean;

  constructor(
    private readonly deps: ReaderDeps,
    private readonly onArchived?: OnArchived,
    private readonly cacheBytes = READER_CACHE_BYTES,
  ) {
    this.validates = deps.registry !== undefined;
  }

  /** The events of `entries`, in the same order. */
  async read(entries: readonly Pick<IndexEntry, 'id' | 'location'>[]): Promise<DomainEvent[]> {
    const upcast = this.deps.upcast ?? same;
    // A line parsed just now is this read's alone: its upcast may build on it instead of on a copy.
    const upcastOwned = this.deps.upcast?.owned ?? upcast;
    const registry = this.deps.registry;
    const out = new Array<DomainEvent>(entries.length);
    let segment: Segment | undefined;
    // Only a segment not read yet, or a one-event object, waits for I/O; the rest of the loop stays synchronous.
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const { key, offset, length } = entry.location;
      let event: DomainEvent;
      let owned = false;
      try {
        if (offset === undefined) {
          event = await this.retryingArchived(key, () => this.readOne(entry));
        } else {
          if (segment?.key !== key) segment = this.cached(key) ?? (await this.retryingArchived(key, () => this.loadSegment(key)));
          const parsed = parseLine(segment, entry.id, offset, length);
          owned = parsed !== undefined;
          event = parsed ?? scannedEvent(segment, entry.id);
        }
      } catch (error) {
        event = await this.relocated(entry, error);
      }
      if (registry) {
        if (registry.validateStored) registry.validateStored(event);
        else registry.validate(event);
      }
      out[i] = owned ? upcastOwned(event) : upcast(event);
    }
    return out;
  }

  /**
   * Why a second look: the entries were paged from the index a moment ago, and an archive run (it holds its own lease,
   * not the rebuild's) may have compacted their hour since, pointing the index at a segment and removing the original.
   * An event the index now places elsewhere is read there once; any other failure is the read's own.
   */
  private async relocated(entry: Pick<IndexEntry, 'id' | 'location'>, error: unknown): Promise<DomainEvent> {
    const now = error instanceof EventNotFoundError ? await this.deps.index?.get(entry.id) : undefined;
    if (!now || sameLocation(now.location, entry.location)) throw error;
    const { key, offset, length } = now.location;
    if (offset === undefined) return this.retryingArchived(key, () => this.readOne(now));
    return this.lineOf(this.cached(key) ?? (await this.retryingArchived(key, () => this.loadSegment(key))), entry.id, offset, length);
  }

  private cached(key: string): Segment | undefined {
    const segment = this.segments.get(key);
    if (segment) {
      this.segments.delete(key);
      this.segments.set(key, segment);
    }
    return segment;
  }

  /** The event at an indexed line of a segment; a line that does not hold it falls back to a scan of the segment. */
  private lineOf(segment: Segment, id: string, offset: number, length: number | undefined): DomainEvent {
    return parseLine(segment, id, offset, length) ?? scannedEvent(segment, id);
  }

  private readOne(entry: Pick<IndexEntry, 'location'>): Promise<DomainEvent> {
    this.objectsRead++;
    return this.deps.log.read(entry.location);
  }

  private async loadSegment(key: string): Promise<Segment> {
    const { log } = this.deps;
    let segment: Segment;
    if (log.readObjectBytes) {
      const bytes = asBuffer(await log.readObjectBytes(key));
      const ascii = isAscii(bytes);
      segment = { key, text: ascii ? bytes.toString('latin1') : undefined, bytes: ascii ? undefined : bytes, size: bytes.length };
    } else {
      // A log without raw reads: its parsed events, by identity (size 0: no line is read at an offset).
      const byId = new Map<string, DomainEvent>();
      for await (const { event } of log.readObject(key)) byId.set(eventId(event), event);
      segment = { key, text: undefined, bytes: undefined, size: 0, byId };
    }
    this.objectsRead++;
    this.segments.set(key, segment);
    this.cachedBytes += weightOf(segment);
    // The newest object always stays, whatever its size.
    for (const [old, kept] of this.segments) {
      if (this.cachedBytes <= this.cacheBytes || this.segments.size <= 1) break;
      this.segments.delete(old);
      this.cachedBytes -= weightOf(kept);
    }
    return segment;
  }

  /** One retry after rehydrating, for a copy that expired (or an index that lagged) since the plan. */
  private async retryingArchived<T>(key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof ArchivedEventError) || !this.onArchived) throw error;
      await this.onArchived(key, error);
      return fn();
    }
  }
}

