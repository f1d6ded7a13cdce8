// How the indexer tells a new event from one whose identity the index already holds, and which of those it publishes.
//
// Why: an S3 key holds the event's hour, so the conditional PUT guards one key only. Two emits of one identity with
// other timestamps (another hour) both land before the indexer runs; the index keeps the first entry (put is
// idempotent by id), and publishing the second would let a projector apply content the index and `events` never show.

import { serializeEvent } from '../../../domain/event.ts';
import type { EventIndex, IndexEntry, NewIndexEntry } from '../../../domain/ports/event-index.ts';
import type { EventLog, LocatedEvent } from '../../../domain/ports/event-log.ts';

/**
 * What one event of a created object is to the index:
 * - `indexed`: its entry was written now;
 * - `redelivered`: indexed before at this very key (a notification delivered again, e.g. after a failed publish);
 * - `copy`: indexed at another key with the same bytes (a segment compaction wrote): published again, as a redelivery;
 * - `conflict`: indexed at another key with other bytes: never published.
 */
export type IdentityVerdict =
  | { readonly kind: 'indexed' | 'redelivered' }
  | { readonly kind: 'copy' | 'conflict'; readonly indexedKey: string };

export interface IdentityDeps {
  readonly log: Pick<EventLog, 'read'>;
  readonly index: Pick<EventIndex, 'put' | 'get'>;
}

/** Index the entries not indexed yet and say, per event, which case it is (same order as `located`). */
export async function indexByIdentity(deps: IdentityDeps, located: readonly LocatedEvent[], entries: readonly NewIndexEntry[]): Promise<IdentityVerdict[]> {
  const held = await Promise.all(entries.map((e) => deps.index.get(e.id)));
  const fresh = entries.filter((_, i) => held[i] === undefined);
  const stored = fresh.length > 0 ? await deps.index.put(fresh) : [];
  const verdicts: IdentityVerdict[] = [];
  let next = 0;
  for (const [i, entry] of entries.entries()) {
    const before = held[i];
    // Absent before our put: the put's answer is the entry the index keeps (another indexer may have won the race).
    const kept = before ?? stored[next++]!;
    verdicts.push(await verdictOf(deps, located[i]!, entry, kept, before === undefined));
  }
  return verdicts;
}

async function verdictOf(deps: IdentityDeps, l: LocatedEvent, entry: NewIndexEntry, kept: IndexEntry, putNow: boolean): Promise<IdentityVerdict> {
  if (sameLocation(kept, entry)) return { kind: putNow ? 'indexed' : 'redelivered' };
  const same = kept.digest !== undefined
    ? kept.digest === entry.digest
    // An entry indexed before digests: the kept copy's bytes decide (an archived one fails the read, so it is retried).
    : serializeEvent(await deps.log.read(kept.location)) === serializeEvent(l.event);
  return { kind: same ? 'copy' : 'conflict', indexedKey: kept.location.key };
}

const sameLocation = (a: IndexEntry, b: NewIndexEntry) =>
  a.location.key === b.location.key && a.location.offset === b.location.offset;

