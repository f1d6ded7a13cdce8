// The hours a lifecycle run looks at: indexed objects grouped by hour, and the reads that decide whether an hour is old
// enough (none of its events at or after a cutoff) and whether it still holds originals to compact.

import { isBatchObjectKey } from '../domain/batch-objects.ts';
import { EVENT_OBJECT_SUFFIX } from '../domain/event.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import type { StorageClass } from '../domain/ports/storage.ts';
import { hourOfPrefix } from './compactor.ts';

/** One hour's indexed objects: its newest event (epoch seconds), and each object's key and class. */
export interface LifecycleHour {
  newest: number;
  readonly keys: string[];
  readonly classes: StorageClass[];
}

/** The hours (by prefix, oldest first) of every indexed object whose events are all before `cutoff` (epoch seconds). */
export async function hoursBefore(index: EventIndex, cutoff: number): Promise<[string, LifecycleHour][]> {
  const hours = new Map<string, LifecycleHour>();
  for (const o of await index.objects({ before: cutoff })) {
    const prefix = o.key.slice(0, o.key.lastIndexOf('/') + 1);
    const h = hours.get(prefix) ?? { newest: -Infinity, keys: [], classes: [] };
    h.newest = Math.max(h.newest, o.maxTimestamp);
    h.keys.push(o.key);
    h.classes.push(o.storageClass);
    hours.set(prefix, h);
  }
  return [...hours].sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * Whether the hour still holds originals (one-event or batch objects) to compact: indexed ones, or ones the index no
 * longer points to (a compaction that stopped after relocating, before removing them), which only a listing sees.
 */
export async function holdsOriginals(log: EventLog, prefix: string, hour: LifecycleHour): Promise<boolean> {
  if (hour.keys.some((k) => k.endsWith(EVENT_OBJECT_SUFFIX))) return true;
  for await (const o of log.list(prefix)) if (o.key.endsWith(EVENT_OBJECT_SUFFIX) || isBatchObjectKey(o.key)) return true;
  return false;
}

/** Whether any event of the hour is at or after `cutoff`: only the hour that straddles it needs an index read. */
export async function hasEventsSince(index: EventIndex, prefix: string, cutoff: number): Promise<boolean> {
  const start = hourOfPrefix(prefix);
  const end = start + 3600;
  if (end <= cutoff) return false;
  if (start >= cutoff) return true; // listed, so it holds an event, and every one of them is at or after its start
  for await (const _ of index.between({ from: Math.ceil(cutoff), to: end })) return true;
  return false;
}

/** Whether the hour ended at or before `cutoff` (epoch seconds). */
export function endedBy(prefix: string, cutoff: number): boolean {
  return hourOfPrefix(prefix) + 3600 <= cutoff;
}
