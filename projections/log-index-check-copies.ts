// A second copy of an indexed identity, judged by content: the same bytes are an extra copy, other bytes a
// conflicting copy (one RequestId stored twice with different content: the index, and so the projections, hold one).

import type { DomainEvent } from '../domain/event.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import { eventDigest } from './event-digest.ts';
import type { CheckedObjects } from './log-index-check-objects.ts';
import type { LogIndexFindingKind } from './log-index-check-report.ts';
import { placeOf } from './log-index-check-lines.ts';

/**
 * The finding of the line `text` at `place`, whose identity `entry` indexes at another place. Compared by the entry's
 * content digest, or, for an entry recorded before digests, by reading the indexed copy when it is readable; an
 * archived indexed copy without a digest cannot be compared and stays an extraCopy.
 */
export async function copyFinding(
  log: Pick<EventLog, 'read'>, objects: CheckedObjects, { id, text, place, entry }: { id: string; text: string; place: string; entry: IndexEntry },
): Promise<{ kind: LogIndexFindingKind; example: () => string }> {
  const here = eventDigest(JSON.parse(text) as DomainEvent);
  const indexed = entry.digest ?? await readableDigest(log, objects, entry);
  if (indexed !== undefined && indexed !== here) {
    return { kind: 'conflictingCopy', example: () => `${id} at ${place}: other content than the copy indexed at ${placeOf(entry)}, which the index holds` };
  }
  return { kind: 'extraCopy', example: () => `${id} at ${place}: indexed at ${placeOf(entry)}` };
}

async function readableDigest(log: Pick<EventLog, 'read'>, objects: CheckedObjects, entry: IndexEntry): Promise<string | undefined> {
  const state = await objects.state(entry.location.key);
  return state === 'hot' || state === 'restored' ? eventDigest(await log.read(entry.location)) : undefined;
}
