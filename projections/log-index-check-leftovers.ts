// The port-level check's side of compaction leftovers: its checked lines put to the rule both checks share
// (log-index-check-leftover-rule.ts), reading only the segments that rule names, through the port.

import type { IndexEntry } from '../domain/ports/event-index.ts';
import { leftoverOf, leftoverSegments, type Leftover, type LeftoverLine } from './log-index-check-leftover-rule.ts';
import type { LogIndexFindingKind } from './log-index-check-report.ts';
import type { ObjectLine, ObjectLines } from './log-index-check-objects.ts';
import type { SchemaFinding } from './log-index-check-schemas.ts';

export { keptSegments, type Leftover } from './log-index-check-leftover-rule.ts';

/** One line of an object the index walk did not wholly account for, as the log walk found it. */
export interface CheckedLine {
  readonly line: ObjectLine;
  /** The identity of the line's event, when the line is one whole event. */
  readonly id?: string;
  /** That event's EventTimeStamp. */
  readonly timestamp?: number;
  /** The index entry of that identity, kept for an extraCopy only (what a leftover is judged by). */
  readonly entry?: IndexEntry;
  /** What is wrong with the line; undefined when its entry names this very line. */
  readonly finding?: { readonly kind: LogIndexFindingKind; readonly example: () => string };
  /**
   * Why input checks would refuse the line's event today, for a line no entry names (the index walk judged those it
   * names). Not reported for a leftover: its segment line holds the same bytes and is reported there.
   */
  readonly unqueryable?: { readonly id: string; readonly place: string; readonly why: string };
  /** Why replay's validation would refuse the line's event, for a line no entry names; not reported for a leftover either. */
  readonly invalid?: { readonly id: string; readonly place: string; readonly found: SchemaFinding };
}

/** The lines of a readable segment; undefined for one that is missing or archived (its bytes cannot be compared). */
export type SegmentLines = (key: string) => Promise<ObjectLines | undefined>;

function asLeftoverLine({ line, id, timestamp, entry, finding }: CheckedLine): LeftoverLine {
  if (id !== undefined && timestamp !== undefined && finding === undefined) return { state: 'indexedHere', id, timestamp };
  if (id !== undefined && finding?.kind === 'extraCopy' && entry) return { state: 'copy', id, line, entry };
  return { state: 'other' };
}

/**
 * The object `key` as a compaction leftover, or undefined when it is not exactly one (its findings then stand). Reads
 * only the segments its copies are indexed in, through `segmentLines` (see `keptSegments`), and only for an object
 * already shaped like a leftover: a log without copies reads nothing more.
 */
export async function compactionLeftover(key: string, lines: readonly CheckedLine[], segmentLines: SegmentLines): Promise<Leftover | undefined> {
  const judged = lines.map(asLeftoverLine);
  const segments = leftoverSegments(key, judged);
  if (!segments) return undefined;
  const read = await Promise.all([...segments].map(async (segment) => [segment, await segmentLines(segment)] as const));
  return leftoverOf(key, judged, new Map(read));
}
