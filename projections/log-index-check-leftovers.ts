// Which second copies the log/index check may call compaction leftovers: originals a compaction run relocated to a
// segment but stopped before removing (projections/compactor.ts, step 3 of a chunk), which its next run removes.
//
// Recognised only when the object is exactly what that crash leaves, judged from what the check has read already:
// a batch object or one-event object of an hour partition (the objects compactHour removes), whose every line is
// either still indexed there (a batch object spanning chunks, cut between them) or a copy of an event indexed in a
// segment of the same hour whose line holds the same bytes. Anything else stays an extraCopy.

import { isBatchObjectKey } from '../domain/batch-objects.ts';
import { EVENT_OBJECT_SUFFIX, SEGMENT_OBJECT_SUFFIX, partitionPrefix } from '../domain/event.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { LogIndexFindingKind } from './log-index-check-report.ts';
import type { ObjectLine, ObjectLines } from './log-index-check-objects.ts';

/** One line of an object the index walk did not wholly account for, as the log walk found it. */
export interface CheckedLine {
  readonly line: ObjectLine;
  /** The identity of the line's event, when the line is one whole event. */
  readonly id?: string;
  /** The index entry of that identity, kept for an extraCopy only (what a leftover is judged by). */
  readonly entry?: IndexEntry;
  /** What is wrong with the line; undefined when its entry names this very line. */
  readonly finding?: { readonly kind: LogIndexFindingKind; readonly example: () => string };
}

/** A leftover object: how many of its events are copies, and its example for the report. */
export interface Leftover {
  readonly events: number;
  readonly example: string;
}

/** The lines of a readable segment; undefined for one that is missing or archived (its bytes cannot be compared). */
export type SegmentLines = (key: string) => Promise<ObjectLines | undefined>;

/** Segments kept by `keptSegments`: the one or two an interrupted chunk's leftovers point at, with room to spare. */
const KEPT_SEGMENTS = 4;

/**
 * `read`, remembering the last few segments apart from the check's other objects: an hour's leftovers are listed one
 * after another and all compare with the same segment, which the leftovers' own reads would otherwise push out of a
 * shared cache every 16 objects (a re-read of up to 8 MiB each time).
 */
export function keptSegments(read: SegmentLines): SegmentLines {
  const kept = new Map<string, Promise<ObjectLines | undefined>>();
  return (key) => {
    const lines = kept.get(key) ?? read(key);
    // Re-inserted so the Map's order is least recently used first.
    kept.delete(key);
    kept.set(key, lines);
    if (kept.size > KEPT_SEGMENTS) kept.delete(kept.keys().next().value!);
    return lines;
  };
}

/** Whether `key` is a segment (not a batch object) directly in `hourPrefix`. */
function isSegmentOf(key: string, hourPrefix: string): boolean {
  return key.startsWith(hourPrefix) && !key.includes('/', hourPrefix.length) && key.endsWith(SEGMENT_OBJECT_SUFFIX) && !isBatchObjectKey(key);
}

/** Whether compactHour of `hourPrefix` removes an object named `key` holding `lines`: a batch object, or a one-event object named for its one event. */
function removedByCompaction(key: string, hourPrefix: string, lines: readonly CheckedLine[]): boolean {
  if (isBatchObjectKey(key)) return true;
  const [only] = lines;
  return lines.length === 1 && only!.id !== undefined && key === `${hourPrefix}${only!.id}${EVENT_OBJECT_SUFFIX}`;
}

/**
 * Whether two lines split from stored bytes hold the same bytes. Text decoded without a replacement character
 * re-encodes to exactly its bytes, so equal text is equal bytes; a line with one (invalid UTF-8, or a literal U+FFFD)
 * is not compared and its copy stays an extraCopy.
 */
function sameBytes(a: ObjectLine, b: ObjectLine): boolean {
  return a.length === b.length && a.text === b.text && !a.text.includes('\uFFFD');
}

/**
 * The object `key` as a compaction leftover, or undefined when it is not exactly one (its findings then stand). Reads
 * only the segments its copies are indexed in, through `segmentLines` (see `keptSegments`), and only for an object
 * already shaped like a leftover: a log without copies reads nothing more.
 */
export async function compactionLeftover(key: string, lines: readonly CheckedLine[], segmentLines: SegmentLines): Promise<Leftover | undefined> {
  const hourPrefix = key.slice(0, key.lastIndexOf('/') + 1);
  if (!removedByCompaction(key, hourPrefix, lines)) return undefined;
  const copies = lines.filter((l) => l.finding !== undefined);
  if (copies.length === 0 || copies.some((l) => l.finding!.kind !== 'extraCopy')) return undefined;
  const segments = new Set<string>();
  for (const { line, entry } of copies) {
    const { key: segment, offset, length } = entry!.location;
    // The hour compaction loads is the one the entry's EventTimeStamp falls in: a copy indexed in another hour's segment
    // is not one this hour's run made, nor one it removes.
    if (!isSegmentOf(segment, hourPrefix) || partitionPrefix(entry!.timestamp) !== hourPrefix || offset === undefined) return undefined;
    const stored = (await segmentLines(segment))?.byOffset.get(offset);
    if (!stored || stored.length !== length || !sameBytes(stored, line)) return undefined;
    segments.add(segment);
  }
  return { events: copies.length, example: `${key}: ${copies.length} of its ${lines.length} events already in ${[...segments].join(', ')}, byte for byte` };
}
