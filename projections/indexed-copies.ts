// Before an append: is an event's identity already in the log somewhere its key cannot show?
//
// Why: S3EventLog detects a repeat only at the same key. Compaction moves an event into a segment, and a RequestId
// reused with another EventTimeStamp lands in another hour, so neither repeat meets the original object. The index
// knows every identity, so the facade asks it first. (FsEventLog's identity catalogue, keyed by hour as S3 keys are,
// also catches a repeat after compaction, but not a RequestId reused in another hour either.)

import { ArchivedCopyUncomparableError } from '../domain/archived-copy-error.ts';
import { ArchivedEventError, EventConflictError } from '../domain/errors.ts';
import { contentDigest } from './event-digest.ts';
import type { DomainEvent } from '../domain/event.ts';
import { eventId, eventKey, serializeEvent } from '../domain/event.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import { mapLimit } from './map-limit.ts';

/** Position in the input → the stored copy it repeats (reported as `duplicate`, not appended again). */
export type KnownCopies = Map<number, { id: string; key: string }>;

/**
 * Events of the input already indexed under another key. Throws `EventConflictError` for one whose stored copy
 * differs (another timestamp, or other bytes). An archived copy cannot be read without a restore: the content digest
 * its entry recorded decides instead; an entry without one (indexed before digests) throws
 * `ArchivedCopyUncomparableError`, since a guess would drop a correction sent with the same RequestId.
 */
export async function findKnownCopies(index: Pick<EventIndex, 'get'>, log: EventLog, events: readonly DomainEvent[]): Promise<KnownCopies> {
  // On S3 every comparison is a GET: a batch re-sent after compaction read its stored copies one after another
  // (1,000 round trips for 1,000 events). A few at a time; the first conflict in input order is still the one thrown.
  const copies = await mapLimit(events, COPY_READS_IN_FLIGHT, (event) => knownCopy(index, log, event).then((copy) => ({ copy }), (error: unknown) => ({ error })));
  const failed = copies.find((c): c is { error: unknown } => 'error' in c);
  if (failed) throw failed.error;
  const known: KnownCopies = new Map();
  copies.forEach((c, i) => { if ('copy' in c && c.copy) known.set(i, c.copy); });
  return known;
}

/** Stored copies compared at once (log reads in flight). */
const COPY_READS_IN_FLIGHT = 8;

/** The copy of `event` indexed under another key, if any; throws `EventConflictError` when it differs. */
async function knownCopy(index: Pick<EventIndex, 'get'>, log: EventLog, event: DomainEvent): Promise<{ id: string; key: string } | undefined> {
  const id = eventId(event);
  const entry = await index.get(id);
  if (!entry || entry.location.key === eventKey(event)) return undefined; // the log itself compares at the same key
  const bytes = serializeEvent(event);
  if (entry.timestamp !== event.EventTimeStamp) throw new EventConflictError(id, entry.location.key);
  let same: boolean;
  try {
    same = serializeEvent(await log.read(entry.location)) === bytes;
  } catch (error) {
    if (!(error instanceof ArchivedEventError)) throw error;
    if (entry.digest === undefined) throw new ArchivedCopyUncomparableError(id, entry.location.key, error.storageClass);
    same = entry.digest === contentDigest(bytes);
  }
  if (!same) throw new EventConflictError(id, entry.location.key);
  return { id, key: entry.location.key };
}
