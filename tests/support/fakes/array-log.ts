// An event log and its index over an array of events, for DispatchTail suites: entry i is at position i + 1, its
// object key is "i", and afterPosition pages them in order.

import { eventId, type DomainEvent } from '../../../domain/event.ts';
import type { EventIndex, IndexEntry } from '../../../domain/ports/event-index.ts';
import type { EventLog } from '../../../domain/ports/event-log.ts';
import { variant } from '../samples.ts';

/** The n-th of a run of cash deposits with distinct, readable RequestIds. */
export const numberedDeposit = (n: number): DomainEvent =>
  variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;

/** `events` as index entries, an index that pages them by position and a log that reads them by key. */
export function arrayLog(events: readonly DomainEvent[]): { entries: IndexEntry[]; index: EventIndex; log: EventLog } {
  const entries = events.map((e, i) => ({ id: eventId(e), location: { key: String(i) }, position: i + 1 }) as unknown as IndexEntry);
  const index = {
    afterPosition: async (after: number, limit: number) => {
      const page = entries.filter((e) => e.position > after).slice(0, limit);
      return { entries: page, next: page.at(-1)?.position ?? after };
    },
  } as unknown as EventIndex;
  const log = { read: async (location: { key: string }) => events[Number(location.key)]! } as unknown as EventLog;
  return { entries, index, log };
}
