// Reuse of a segment a run wrote but crashed before relocating to (no index entry points at it): each of its lines
// whose event is still pending is taken as that event's new location, after checking it holds exactly the original's
// bytes. A run cut into chunks can leave several such segments; each is checked on its own, a group of lines at a
// time, so no more than one chunk's events are held (half from the segment, half read from the originals).

import { EventConflictError } from '../../domain/errors.ts';
import { eventId, serializeEvent } from '../../domain/event.ts';
import type { EventLocation, EventLog } from '../../domain/ports/event-log.ts';
import type { HourEntries } from './hour-entries.ts';
import { readChunk } from './chunk-reads.ts';
import { Chunker, halved, type SegmentLimits } from './segment-limits.ts';

/** One pending event found in a leftover segment. */
export interface SegmentLine {
  /** The entry (index into HourEntries). */
  readonly entry: number;
  readonly location: EventLocation;
}

interface Candidate {
  readonly line: SegmentLine;
  /** The line as stored (re-serialized: the canonical form the original must match). */
  readonly text: string;
}

/**
 * The lines of segment `key` that hold entries `isPending` accepts (each entry once), checked byte for byte against
 * their originals; throws `EventConflictError` for a line that differs.
 */
export async function reusableLines(log: EventLog, hour: HourEntries, key: string, isPending: (entry: number) => boolean, limits: SegmentLimits): Promise<SegmentLine[]> {
  const found: SegmentLine[] = [];
  const seen = new Set<number>();
  const check = async (group: readonly Candidate[]): Promise<void> => {
    const originals = await readChunk(log, hour, group.map((c) => c.line.entry));
    group.forEach((c, at) => {
      if (serializeEvent(originals[at]!) !== c.text) throw new EventConflictError(hour.id(c.line.entry), key);
      found.push(c.line);
    });
  };
  const chunker = new Chunker<Candidate>(halved(limits));
  for await (const { event, location } of log.readObject(key)) {
    const entry = hour.indexOf(eventId(event));
    if (entry === undefined || seen.has(entry) || !isPending(entry)) continue;
    seen.add(entry);
    const full = chunker.push({ line: { entry, location }, text: serializeEvent(event) }, hour.size(entry));
    if (full) await check(full);
  }
  const last = chunker.rest();
  if (last) await check(last);
  return found;
}
