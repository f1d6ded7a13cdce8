// Vouching for an event before a projector applies it: the index, which only the indexer writes after reading the
// object from the log, must hold its identity with the same content.
//
// Why: the bus rules match `source: eventlake` only, so anyone allowed events:PutEvents on the bus can send an event
// no log object holds. Applied, it changes balances the log cannot explain, and since applies are idempotent per
// identity, it also turns the real event of that identity into a `duplicate` that is never applied.

import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, serializeEvent } from '../../../domain/event.ts';
import { EventNotInLogError } from '../../../domain/log-membership-errors.ts';
import type { EventIndex } from '../../../domain/ports/event-index.ts';
import type { EventLog } from '../../../domain/ports/event-log.ts';
import { contentDigest } from '../../../projections/event-digest.ts';

export interface VouchDeps {
  /**
   * The event index. `get` must read consistently (DynamoDbEventIndex's does: ConsistentRead on both GetItems), since
   * the indexer publishes right after its put and an eventually consistent read could miss that entry.
   */
  readonly index: Pick<EventIndex, 'get'>;
  /** Reads the stored copy of an entry indexed before content digests. */
  readonly log: Pick<EventLog, 'read'>;
}

/**
 * Resolves when the log holds `event` exactly as given; throws `EventNotInLogError` when the index has no entry for its
 * identity or the content differs. An entry without a digest (indexed before digests) is vouched for by reading its
 * stored copy and comparing canonical bytes; when that copy cannot be read (archived), the read's error is thrown:
 * the event is neither refused nor applied, and its delivery is retried or dead-lettered as any failure is.
 *
 * @example
 * await vouchFor({ index, log }, event); // then apply it
 */
export async function vouchFor(deps: VouchDeps, event: DomainEvent): Promise<void> {
  const id = eventId(event);
  const entry = await deps.index.get(id);
  if (!entry) throw new EventNotInLogError(id, 'unindexed');
  const bytes = serializeEvent(event);
  if (entry.digest !== undefined) {
    if (contentDigest(bytes) !== entry.digest) throw new EventNotInLogError(id, 'digest', entry.location.key);
    return;
  }
  if (serializeEvent(await deps.log.read(entry.location)) !== bytes) throw new EventNotInLogError(id, 'bytes', entry.location.key);
}
