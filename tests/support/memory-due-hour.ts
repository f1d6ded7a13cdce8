// An hour of generated events stored and indexed in memory but not compacted: what the compaction suites compact.

import type { DomainEvent } from '../../domain/event.ts';
import { MemoryArchiveTier } from './fakes/memory-archive-tier.ts';
import { MemoryEventIndex } from './fakes/memory-event-index.ts';
import { MemoryEventLog } from './fakes/memory-event-log.ts';
import { indexAppended } from './hour-objects.ts';
import { hourOfEvents } from './lifecycle-fixture.ts';

/** The events of the hour starting at `hour` (epoch seconds), appended to a memory log and indexed where it put them. */
export async function memoryDueHour(hour: number, now: number, seed = 1): Promise<{ log: MemoryEventLog; index: MemoryEventIndex; events: DomainEvent[] }> {
  const log = new MemoryEventLog(new MemoryArchiveTier(() => now));
  const index = new MemoryEventIndex();
  const events = hourOfEvents(hour, seed);
  await indexAppended(index, events, await log.append(events));
  return { log, index, events };
}
