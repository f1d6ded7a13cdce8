// The per-batch work the SQLite projection store does once before either of its passes: identities and related ones.

import { eventId, type DomainEvent } from '../../domain/event.ts';
import type { Projection } from '../../domain/projection.ts';
import type { PreparedBatch } from './sqlite-projection-statements.ts';

/** Identities and related identities of a batch, computed once for both passes. */
export function prepareBatch(projection: Projection, events: readonly DomainEvent[]): PreparedBatch {
  const n = events.length;
  const ids: string[] = new Array<string>(n);
  const relatedOf: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(n);
  const wanted = new Set<string>();
  for (let i = 0; i < n; i++) {
    const event = events[i]!;
    ids[i] = eventId(event);
    if (!projection.handles(event)) continue;
    const related = projection.related(event);
    relatedOf[i] = related;
    for (let j = 0; j < related.length; j++) wanted.add(related[j]!);
  }
  // Sorted once: the probe then walks the B-tree in key order, and the write reuses the order.
  return { ids, relatedOf, wanted, sortedIds: ids.slice().sort() };
}
