// Where an already stored identity's bytes are, for an append's duplicate-or-conflict check: its journal line, or,
// once the journal segment holding that line was deleted, the objects of its hour partition.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../../domain/errors.ts';
import { batchObjectKey } from '../../domain/batch-objects.ts';
import { EVENT_OBJECT_SUFFIX, SEGMENT_OBJECT_SUFFIX, eventId } from '../../domain/event.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import { locationOf, storedLine } from './batch-plan.ts';
import { readIfExists } from './durable-fs.ts';
import { lineSpans, parseEventLine } from './fs-objects.ts';
import type { IngestJournal } from './ingest-journal.ts';
import { ARCHIVE_CLASSES, archivePath, hotPath, restoredPath, type DataDirLayout } from './layout.ts';

/** A stored event's canonical content and where it is stored. */
export interface StoredEvent {
  readonly content: string;
  readonly location: EventLocation;
}

/**
 * The stored event with identity `id` of hour partition `hour`, recorded in the catalogue at journal offset
 * `offset` (its line, or the start of the append that journaled it). Undefined when the journal line there is not
 * that event. Why the objects: the journal keeps only segments something still needs, and an old identity may be
 * sent again any time (a client retrying); its append's batch object is named by that offset, and compaction moves
 * it into the hour's segments.
 */
export function storedEvent(layout: DataDirLayout, journal: IngestJournal, offset: number, id: string, hour: string): StoredEvent | undefined {
  if (offset >= journal.start()) {
    const line = storedLine(journal, offset, id);
    return line && { content: line.content, location: locationOf(line)! };
  }
  const keys = [batchObjectKey(hour, offset), `${hour}${id}${EVENT_OBJECT_SUFFIX}`, ...segmentKeys(layout, hour)];
  for (const key of keys) {
    const found = findIn(layout, key, id);
    if (found) return found;
  }
  throw new StorageError(`event ${id} is recorded as stored (journal offset ${offset}), but its journal segment was deleted and no object of ${hour} holds it; ` +
    'restore the removed object from a backup before sending this event again');
}

/** Keys of the hour's compacted segments, in any storage class. */
function segmentKeys(layout: DataDirLayout, hour: string): string[] {
  const dirs = [layout.root, layout.restored, ...ARCHIVE_CLASSES.map((c) => join(layout.archive, c))].map((base) => join(base, ...hour.split('/')));
  const names = new Set<string>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (name.startsWith('segment') && name.endsWith(SEGMENT_OBJECT_SUFFIX)) names.add(name);
  }
  return [...names].sort().map((name) => `${hour}${name}`);
}

/** The line of `id` in object `key` (hot, restored or archived copy). */
function findIn(layout: DataDirLayout, key: string, id: string): StoredEvent | undefined {
  const paths = [hotPath(layout, key), restoredPath(layout, key), ...ARCHIVE_CLASSES.map((c) => archivePath(layout, c, key))];
  for (const path of paths) {
    const bytes = readIfExists(path);
    if (!bytes) continue;
    const single = key.endsWith(EVENT_OBJECT_SUFFIX);
    for (const { start, end } of lineSpans(bytes)) {
      const content = bytes.toString('utf8', start, end);
      const event = parseEventLine(content);
      if (event && eventIdOrUndefined(event) === id) return { content, location: single ? { key } : { key, offset: start, length: end - start } };
    }
  }
  return undefined;
}

function eventIdOrUndefined(event: Parameters<typeof eventId>[0]): string | undefined {
  try {
    return eventId(event);
  } catch {
    return undefined;
  }
}
