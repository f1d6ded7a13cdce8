// What the scheduled-compaction suites share: indexing appended events where the log put them (as the indexer
// does), and the object names an hour partition holds.

import { accountsOf, eventId, partitionPrefix, type DomainEvent } from '../../domain/event.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { AppendResult, EventLog } from '../../domain/ports/event-log.ts';

/** Index `events` hot at the locations `log.append` returned for them. */
export async function indexAppended(index: EventIndex, events: readonly DomainEvent[], appended: readonly AppendResult[]): Promise<void> {
  await index.put(events.map((e, i) => ({
    id: eventId(e), type: e.EventType, timestamp: e.EventTimeStamp, accounts: accountsOf(e),
    location: appended[i]!.location, size: appended[i]!.size, storageClass: 'STANDARD', restore: 'NONE',
  })));
}

/** Object names in the hour partition starting at `hour` (epoch seconds), sorted. */
export async function objectsOfHour(log: EventLog, hour: number): Promise<string[]> {
  const prefix = partitionPrefix(hour);
  const names: string[] = [];
  for await (const o of log.list(prefix)) names.push(o.key.slice(prefix.length));
  return names.sort();
}
