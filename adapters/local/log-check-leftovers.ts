// The local check's side of compaction leftovers: an object's lines put to the rule the port-level check applies too
// (projections/log-index-check-leftover-rule.ts), and the segments that rule names read from the data dir's files.

import { EVENT_OBJECT_SUFFIX } from '../../domain/event.ts';
import { keptSegments, leftoverOf, leftoverSegments, type Leftover, type LeftoverEntry, type LeftoverLine } from '../../projections/log-index-check-leftover-rule.ts';
import { splitLines, type ObjectLine, type ObjectLines } from '../../projections/log-index-check-objects.ts';
import type { DataDirLayout } from './layout.ts';
import { copiesOf, readableCopy, readCopy } from './log-check-files.ts';
import type { FindingKind } from './log-check-report.ts';

/** The lines of a segment the check may read (as it reads any object: hot, else restored, else archived when it reads those), or undefined. */
export type LocalSegmentLines = (key: string) => ObjectLines | undefined;

/** Where an index row has an identity, as the check looked it up (offset and length null for a one-event object). */
export interface IndexedAt {
  readonly key: string;
  readonly offset: number | null;
  readonly length: number | null;
  readonly timestamp: number;
}

/** One line of the object being checked, as `checkObject` judged it. */
export interface JudgedLine {
  readonly offset: number;
  readonly length: number;
  /** The identity of its event, when the line is one whole event. */
  readonly id?: string;
  /** That event's EventTimeStamp. */
  readonly timestamp?: number;
  /** Named by an index row of this object. */
  readonly named: boolean;
  /** Where its identity is indexed, when the line is an extraCopy. */
  readonly copyOf?: IndexedAt;
}

/**
 * The findings an object may have and still be a leftover: copies, and no row naming it once every chunk moved. An
 * unqueryable or invalid event too: a leftover's copy is byte for byte its segment line, which is reported in the segment.
 */
const LEFTOVER_FINDINGS: ReadonlySet<FindingKind> = new Set(['extraCopy', 'orphanObject', 'unqueryableEvent', 'invalidEvent', 'unknownSchema']);

/**
 * Reads segments for the leftover rule from the data dir's files, keeping the last few: an hour's leftovers all
 * compare with the same segment. A segment the check could not read (missing, or archived with `readArchived` off)
 * is undefined, and its copies stay extraCopy.
 */
export function segmentReader(layout: DataDirLayout, readArchived: boolean): LocalSegmentLines {
  return keptSegments((key) => {
    const path = readableCopy(copiesOf(layout, key), readArchived);
    return path === undefined ? undefined : splitLines(readCopy(path));
  });
}

function entryOf(at: IndexedAt): LeftoverEntry {
  const location = at.offset === null || at.length === null ? { key: at.key } : { key: at.key, offset: at.offset, length: at.length };
  return { timestamp: at.timestamp, location };
}

/** A line's stored bytes (a one-event object's without its closing newline, as a segment line is stored). */
function storedLine(bytes: Buffer, line: JudgedLine, single: boolean): ObjectLine {
  const length = single ? bytes.length - 1 : line.length;
  return { offset: line.offset, length, text: bytes.toString('utf8', line.offset, line.offset + length) };
}

/**
 * The object `key` (its `bytes`, split into `lines`) as a compaction leftover, or undefined when it is not exactly one
 * and the object's findings (`kinds`) stand. Without an extraCopy, or with any finding but extraCopy and orphanObject,
 * it is ruled out before a segment is read.
 */
export function localLeftover(key: string, bytes: Buffer, lines: readonly JudgedLine[], kinds: Iterable<FindingKind>, segmentLines: LocalSegmentLines): Leftover | undefined {
  const found = [...kinds];
  // Most objects have no copy: they cost this test, nothing more.
  if (!found.includes('extraCopy') || found.some((kind) => !LEFTOVER_FINDINGS.has(kind))) return undefined;
  const single = key.endsWith(EVENT_OBJECT_SUFFIX);
  const judged = lines.map((l): LeftoverLine => {
    if (l.id === undefined || l.timestamp === undefined) return { state: 'other' };
    if (l.named) return { state: 'indexedHere', id: l.id, timestamp: l.timestamp };
    return l.copyOf ? { state: 'copy', id: l.id, line: storedLine(bytes, l, single), entry: entryOf(l.copyOf) } : { state: 'other' };
  });
  const segments = leftoverSegments(key, judged);
  return segments && leftoverOf(key, judged, new Map([...segments].map((s) => [s, segmentLines(s)])));
}
