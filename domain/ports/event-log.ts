// Port: the immutable event log (S3 in AWS, a folder on disk locally), keyed by hour partitions.

import type { DomainEvent } from '../event.ts';

/** Where an event's bytes are: a one-event object, or a byte range (one NDJSON line) of a compacted segment. */
export interface EventLocation {
  readonly key: string;
  /** Byte offset of the event's line inside a segment; absent for one-event objects. */
  readonly offset?: number;
  /** Byte length of the line, without its newline; absent for one-event objects. */
  readonly length?: number;
}

export type AppendStatus = 'stored' | 'duplicate';

/** Outcome of appending one event. */
export interface AppendResult {
  readonly id: string;
  /** The object holding the event: its one-event object (S3), or the batch object of its append, or for a duplicate the segment compaction moved it into (local). */
  readonly key: string;
  /** Where to read the event: `{ key }` for a one-event object, with `offset`/`length` for a line of a multi-event object. */
  readonly location: EventLocation;
  readonly status: AppendStatus;
  /** Bytes of the event's stored line, newline included. */
  readonly size: number;
}

/** An object of the log, as listings return it. */
export interface LogObject {
  readonly key: string;
  readonly size: number;
}

/** One event read from an object, with where it sits (so compaction can index segment lines). */
export interface LocatedEvent {
  readonly event: DomainEvent;
  readonly location: EventLocation;
}

/**
 * The event log. Objects are written once and never changed.
 *
 * @example
 * const [r] = await log.append([event]);   // { id, key, location, status: 'stored', size }
 * const again = await log.append([event]); // status: 'duplicate'
 * const e = await log.read(r.location);
 */
export interface EventLog {
  /**
   * Append already-validated events, durably. Same identity and same bytes → `duplicate`;
   * same identity and other bytes → throws `EventConflictError` and writes nothing of the batch
   * (identities are checked before the first write; only a concurrent writer racing on the same
   * identity can stop a batch part-way, and what was stored then stays stored, as each event is its own fact).
   */
  append(events: readonly DomainEvent[]): Promise<AppendResult[]>;
  /** Read one event. Throws `ArchivedEventError` for an unrestored archived object, `EventNotFoundError` if absent. */
  read(location: EventLocation): Promise<DomainEvent>;
  /** Every event of one object (one-event object or segment), in stored order. */
  readObject(key: string): AsyncIterable<LocatedEvent>;
  /**
   * The stored bytes of one object (a one-event object or a whole segment), for bulk readers that parse the lines
   * they need at their indexed offsets. Optional: readers fall back to `readObject`. Throws like `read`.
   */
  readObjectBytes?(key: string): Promise<Uint8Array>;
  /** Objects under a prefix, in key order. */
  list(prefix: string): AsyncIterable<LogObject>;
  /** Write a compacted segment (NDJSON lines) once, durably. Returns its size. */
  writeSegment(key: string, lines: readonly string[]): Promise<{ size: number; locations: EventLocation[] }>;
  /** Remove objects (only the compactor does, after their events are in a segment and re-indexed). */
  remove(keys: readonly string[]): Promise<void>;
}
