// How big one segment of an hour may get, and the cutting of an hour's pending events into chunks of that size.
//
// Why limits at all: one chunk is what a compaction holds in memory at once (its events read, their lines, the
// segment's bytes), and an hour of a busy producer (500k-2M events of ~1 KB) held whole killed the 1 GB compaction
// Lambda on that hour every day. Why the defaults are small for a segment: the scheduled run compacts
// COMPACTION_DEFAULTS.concurrency (8) hours at once, so eight chunks (and eight hours of index entries) share it.

import { InvalidArgumentError } from '../../domain/errors.ts';

/** The most one segment (and so one chunk held in memory) may hold: whichever limit is reached first. */
export interface SegmentLimits {
  /** Events per segment. */
  readonly maxSegmentEvents: number;
  /** Bytes per segment, counted as the index records event sizes (an event larger than this gets a segment alone). */
  readonly maxSegmentBytes: number;
}

/**
 * Defaults: 5,000 events or 8 MiB. A held event of ~1 KB costs about 5.5 KB (measured on Node 20: the parsed object,
 * its line, its share of the segment's buffer), so a chunk costs about 30 MB and the 8 hours a scheduled run
 * compacts at once about 240 MB, beside their index entries (~60 MB an hour of 500k events): 8 such hours at once
 * ran in a 700 MB heap. Segments of 5-8 MB are still far above the 128 KB an S3 lifecycle rule needs to move an
 * object to Glacier.
 */
export const SEGMENT_LIMITS: SegmentLimits = { maxSegmentEvents: 5_000, maxSegmentBytes: 8 * 1024 * 1024 };

/** The limits among `given` (a caller's wider options may be passed), the defaults for the rest; throws `InvalidArgumentError` naming a limit that is not a whole number >= 1. */
export function segmentLimits(given: Partial<SegmentLimits> = {}): SegmentLimits {
  const pick = (name: keyof SegmentLimits): number => {
    const value = given[name] ?? SEGMENT_LIMITS[name];
    if (!Number.isSafeInteger(value) || value < 1) throw new InvalidArgumentError(name, `must be a whole number >= 1, got ${value}`);
    return value;
  };
  return { maxSegmentEvents: pick('maxSegmentEvents'), maxSegmentBytes: pick('maxSegmentBytes') };
}

/** Half of each limit (at least 1): for work that holds two copies of a chunk's events, as checking a leftover segment does. */
export function halved(limits: SegmentLimits): SegmentLimits {
  return { maxSegmentEvents: Math.max(1, Math.floor(limits.maxSegmentEvents / 2)), maxSegmentBytes: Math.max(1, Math.floor(limits.maxSegmentBytes / 2)) };
}

/**
 * Cuts a stream of items into consecutive chunks within `limits` (a line's bytes are its size + 1 for the newline);
 * an item larger than the byte limit forms a chunk alone. Only the chunk being filled is held.
 */
export class Chunker<T> {
  private chunk: T[] = [];
  private bytes = 0;

  constructor(private readonly limits: SegmentLimits) {}

  /** Add `item`; returns the chunk it closed (full before it), if any. */
  push(item: T, size: number): T[] | undefined {
    const line = size + 1;
    let full: T[] | undefined;
    if (this.chunk.length > 0 && (this.chunk.length >= this.limits.maxSegmentEvents || this.bytes + line > this.limits.maxSegmentBytes)) {
      full = this.rest();
    }
    this.chunk.push(item);
    this.bytes += line;
    return full;
  }

  /** The chunk being filled, if it holds anything; starts a new one. */
  rest(): T[] | undefined {
    const out = this.chunk.length > 0 ? this.chunk : undefined;
    this.chunk = [];
    this.bytes = 0;
    return out;
  }
}

/** `items` in consecutive chunks within `limits`, by `sizeOf`; lazy, so only the chunk being worked on exists. */
export function* chunksOf<T>(items: Iterable<T>, limits: SegmentLimits, sizeOf: (item: T) => number): Generator<T[]> {
  const chunker = new Chunker<T>(limits);
  for (const item of items) {
    const full = chunker.push(item, sizeOf(item));
    if (full) yield full;
  }
  const last = chunker.rest();
  if (last) yield last;
}
