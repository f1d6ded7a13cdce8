// Index entries of hot one-event objects, and the ids a range read of an index answers: what the hour-directory
// suites put and read back.

import { partitionPrefix } from '../../domain/event.ts';
import type { EventIndex, NewIndexEntry } from '../../domain/ports/event-index.ts';

/** A cash deposit's entry at `timestamp`, stored hot in its hour's partition. */
export function hotEntry(id: string, timestamp: number, size = 1): NewIndexEntry {
  return { id, type: 'cash_deposit', timestamp, accounts: [], location: { key: `${partitionPrefix(timestamp)}${id}.event` }, size, storageClass: 'STANDARD', restore: 'NONE' };
}

/** Ids of the entries `index` answers for [from, to), in its order. */
export async function idsBetween(index: Pick<EventIndex, 'between'>, from: number, to: number): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of index.between({ from, to })) ids.push(e.id);
  return ids;
}
