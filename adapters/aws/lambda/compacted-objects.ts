// Reading the object of an "Object Created" notification that compaction may have removed since.
//
// Compaction (a day after an hour ends) removes one-event objects once their events are indexed and in a segment.
// A notification can come later than that: a redrive of the indexer's dead-letter queue (kept 14 days) after a
// publish failed. Its event was indexed (compaction moves nothing else), so it is read where the index now points,
// and published, instead of failing on the missing object and never reaching the bus.

import { EventNotFoundError } from '../../../domain/errors.ts';
import { EVENT_OBJECT_SUFFIX } from '../../../domain/event.ts';
import type { EventIndex } from '../../../domain/ports/event-index.ts';
import type { EventLog, LocatedEvent } from '../../../domain/ports/event-log.ts';

export interface CreatedObjectDeps {
  readonly log: Pick<EventLog, 'readObject' | 'read'>;
  readonly index: Pick<EventIndex, 'get'>;
}

/** The events of a created one-event object; `compacted` when it was gone and its event came from the index's location. */
export async function readCreatedObject(deps: CreatedObjectDeps, key: string): Promise<{ located: LocatedEvent[]; compacted: boolean }> {
  const located: LocatedEvent[] = [];
  try {
    for await (const l of deps.log.readObject(key)) located.push(l);
    return { located, compacted: false };
  } catch (error) {
    if (!(error instanceof EventNotFoundError)) throw error;
    const entry = await deps.index.get(key.slice(key.lastIndexOf('/') + 1, -EVENT_OBJECT_SUFFIX.length));
    // Never indexed and gone: not compaction's doing (it moves indexed events only), so the failure stands.
    if (!entry || entry.location.key === key) throw error;
    return { located: [{ event: await deps.log.read(entry.location), location: entry.location }], compacted: true };
  }
}
