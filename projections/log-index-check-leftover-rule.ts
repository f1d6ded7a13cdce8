// The rule both log checks apply to second copies (the port-level one here, the local data dir's in
// adapters/local/log-check-object.ts): which of them are compaction leftovers, originals a compaction run relocated
// to a segment but stopped before removing (projections/compactor.ts, step 3 of a chunk), which its next run removes.
//
// Recognised only when the object is exactly what that crash leaves: a batch object or one-event object of an hour
// partition (the objects compactHour removes), whose every line is either still indexed there (a batch object
// spanning chunks, cut between them) or a copy of an event indexed in a segment of the same hour whose line holds the
// same bytes. Anything else stays an extraCopy. Pure: each check reads the segments in its own way, and only the ones
// `leftoverSegments` names.

import { isBatchObjectKey } from '../domain/batch-objects.ts';
import { EVENT_OBJECT_SUFFIX, SEGMENT_OBJECT_SUFFIX, partitionPrefix } from '../domain/event.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { ObjectLine, ObjectLines } from './log-index-check-objects.ts';

/** Where the index has a copy's identity: what a leftover is judged by. */
export type LeftoverEntry = Pick<IndexEntry, 'timestamp' | 'location'>;

/** One line of an object, as a check found it. */
export type LeftoverLine =
  /** Its identity's index entry names this very line; `timestamp` is its EventTimeStamp. */
  | { readonly state: 'indexedHere'; readonly id: string; readonly timestamp: number }
  /** A second copy: its identity is indexed at `entry`, elsewhere. `line` holds its bytes as stored (newline excluded). */
  | { readonly state: 'copy'; readonly id: string; readonly line: ObjectLine; readonly entry: LeftoverEntry }
  /** Anything else (torn, unindexed, not yet indexed, any other finding): the object is then no leftover. */
  | { readonly state: 'other' };

/** A leftover object: how many of its events are copies, and its example for the report. */
export interface Leftover {
  readonly events: number;
  readonly example: string;
}

/** Whether `key` is a segment (not a batch object) directly in `hourPrefix`. */
function isSegmentOf(key: string, hourPrefix: string): boolean {
  return key.startsWith(hourPrefix) && !key.includes('/', hourPrefix.length) && key.endsWith(SEGMENT_OBJECT_SUFFIX) && !isBatchObjectKey(key);
}

/** Whether compactHour of `hourPrefix` removes an object named `key` holding `lines`: a batch object, or a one-event object named for its one event. */
function removedByCompaction(key: string, hourPrefix: string, lines: readonly LeftoverLine[]): boolean {
  if (isBatchObjectKey(key)) return true;
  const [only] = lines;
  return lines.length === 1 && only!.state !== 'other' && key === `${hourPrefix}${only!.id}${EVENT_OBJECT_SUFFIX}`;
}

/**
 * Whether two lines split from stored bytes hold the same bytes. Text decoded without a replacement character
 * re-encodes to exactly its bytes, so equal text is equal bytes; a line with one (invalid UTF-8, or a literal U+FFFD)
 * is not compared and its copy stays an extraCopy.
 */
function sameBytes(a: ObjectLine, b: ObjectLine): boolean {
  return a.length === b.length && a.text === b.text && !a.text.includes('\uFFFD');
}

const copiesOf = (lines: readonly LeftoverLine[]) => lines.filter((l): l is Extract<LeftoverLine, { state: 'copy' }> => l.state === 'copy');

/**
 * The segments to read to judge the object `key` holding `lines`, or undefined when it cannot be a leftover whatever
 * they hold (its findings then stand, and nothing more is read): not an object compaction removes, a line that is
 * neither indexed here nor a copy, one indexed here of another hour, no copy at all, or a copy indexed anywhere but at a line of a segment of this hour.
 */
export function leftoverSegments(key: string, lines: readonly LeftoverLine[]): ReadonlySet<string> | undefined {
  const hourPrefix = key.slice(0, key.lastIndexOf('/') + 1);
  if (!removedByCompaction(key, hourPrefix, lines) || lines.some((l) => l.state === 'other')) return undefined;
  // Compaction loads an hour's entries by EventTimeStamp: an event of another hour indexed here is one it does not know,
  // so it never removes the object (and no compaction put it there).
  if (lines.some((l) => l.state === 'indexedHere' && partitionPrefix(l.timestamp) !== hourPrefix)) return undefined;
  const copies = copiesOf(lines);
  if (copies.length === 0) return undefined;
  const segments = new Set<string>();
  for (const { entry } of copies) {
    // The hour compaction loads is the one the entry's EventTimeStamp falls in: a copy indexed in another hour's segment
    // is not one this hour's run made, nor one it removes.
    if (!isSegmentOf(entry.location.key, hourPrefix) || partitionPrefix(entry.timestamp) !== hourPrefix || entry.location.offset === undefined) return undefined;
    segments.add(entry.location.key);
  }
  return segments;
}

/**
 * The object `key` as a compaction leftover, or undefined when it is not exactly one. `segments` holds the lines of
 * each segment `leftoverSegments` named (undefined for one that is missing or archived: its bytes cannot be compared).
 */
export function leftoverOf(key: string, lines: readonly LeftoverLine[], segments: ReadonlyMap<string, ObjectLines | undefined>): Leftover | undefined {
  const copies = copiesOf(lines);
  for (const { line, entry } of copies) {
    const stored = segments.get(entry.location.key)?.byOffset.get(entry.location.offset!);
    if (!stored || stored.length !== entry.location.length || !sameBytes(stored, line)) return undefined;
  }
  const named = [...new Set(copies.map((c) => c.entry.location.key))];
  return { events: copies.length, example: `${key}: ${copies.length} of its ${lines.length} events already in ${named.join(', ')}, byte for byte` };
}

/** Segments a check keeps apart from its other objects: the one or two an interrupted chunk's leftovers point at, with room to spare. */
const KEPT_SEGMENTS = 4;

/**
 * `read`, remembering the last few segments apart from the check's other objects: an hour's leftovers are listed one
 * after another and all compare with the same segment, which the leftovers' own reads would otherwise push out of a
 * shared cache (a re-read of up to 8 MiB each time). `T` is what `read` returns: lines, or a promise of them.
 */
export function keptSegments<T>(read: (key: string) => T): (key: string) => T {
  const kept = new Map<string, T>();
  return (key) => {
    const lines = kept.has(key) ? kept.get(key)! : read(key);
    // Re-inserted so the Map's order is least recently used first.
    kept.delete(key);
    kept.set(key, lines);
    if (kept.size > KEPT_SEGMENTS) kept.delete(kept.keys().next().value!);
    return lines;
  };
}
