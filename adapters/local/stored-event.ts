// Where an already stored identity's bytes are, for an append's duplicate-or-conflict check: its journal line, or,
// once the journal segment holding that line was deleted or compaction removed the object the line names, the
// objects of its hour partition.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../../domain/errors.ts';
import { batchObjectKey } from '../../domain/batch-objects.ts';
import { EVENT_OBJECT_SUFFIX, SEGMENT_OBJECT_SUFFIX, eventId } from '../../domain/event.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import { appendLines, locationOf } from './batch-plan.ts';
import { readIfExists } from './durable-fs.ts';
import { lineSpans, parseEventLine } from './fs-objects.ts';
import type { IngestJournal } from './ingest-journal.ts';
import { ARCHIVE_CLASSES, archivePath, hotPath, restoredPath, type DataDirLayout } from './layout.ts';

/** A stored event's canonical content and where it is stored. */
export interface StoredEvent {
  readonly content: string;
  readonly location: EventLocation;
}

/** A stored event as its journal line says, and the offset just past that line. */
interface JournaledEvent extends StoredEvent {
  readonly end: number;
}

/**
 * Where stored identities' bytes are, for the duplicates of one append: each journal append and each object is read
 * and parsed once, into a map by identity. Why: a client re-sending a batch of n stored events made n scans of the
 * same append (quadratic: 2,000 events took 13 s under the catalogue lock every other appender waits on).
 */
export class StoredEvents {
  private readonly appends = new Map<number, Map<string, JournaledEvent>>();
  /** Per object a journal line names: whether it is still where to read the line's event. */
  private readonly standing = new Map<string, boolean>();
  private readonly files = new Map<string, Map<string, StoredEvent> | undefined>();
  private readonly segments = new Map<string, string[]>();

  constructor(private readonly layout: DataDirLayout, private readonly journal: IngestJournal) {}

  /**
   * The stored event with identity `id` of hour partition `hour`, recorded in the catalogue at journal offset
   * `offset` (its line, or the start of the append that journaled it). Undefined when the journal line there is not
   * that event. Why the objects: the journal keeps only segments something still needs, and an old identity may be
   * sent again any time (a client retrying); its append's batch object is named by that offset, and compaction moves
   * it into the hour's segments, also while the journal still holds the line (which then names a removed object).
   */
  find(offset: number, id: string, hour: string): StoredEvent | undefined {
    if (offset >= this.journal.start()) {
      const journaled = this.inAppend(offset).get(id);
      if (!journaled || this.stands(journaled)) return journaled;
      const removed = `event ${id} is journaled (offset ${offset}) in ${journaled.location.key}, which was removed, but no object of ${hour} holds it`;
      return this.inHour(id, hour, []) ?? lost(removed);
    }
    const found = this.inHour(id, hour, [batchObjectKey(hour, offset), `${hour}${id}${EVENT_OBJECT_SUFFIX}`]);
    return found ?? lost(`event ${id} is recorded as stored (journal offset ${offset}), but its journal segment was deleted and no object of ${hour} holds it`);
  }

  /**
   * Whether the object a journal line names is still where to read its event: a copy in any storage class (an
   * archived one too, as the index says), or none yet (journaled past the durable marker: the append's caller
   * checkpoints, see duplicateNotCreatedYet). Gone below the marker, it was removed (`FsEventLog.remove` checkpoints
   * first), by compaction once each of its events was in a segment of the hour. One stat per object while it is hot.
   */
  private stands(journaled: JournaledEvent): boolean {
    const { key } = journaled.location;
    let stands = this.standing.get(key);
    if (stands === undefined) {
      stands = copies(this.layout, key).some((path) => existsSync(path)) || journaled.end > this.journal.materialized();
      this.standing.set(key, stands);
    }
    return stands;
  }

  /**
   * `id` in the objects `first`, else in the hour's segments. Why list them again on a miss: a compaction (it takes
   * no catalogue lock) may have written a segment, and removed the object, since this append listed the hour.
   */
  private inHour(id: string, hour: string, first: readonly string[]): StoredEvent | undefined {
    const listed = this.segments.get(hour);
    const found = this.inObjects(id, [...first, ...(listed ?? this.listSegments(hour))]);
    if (found || !listed) return found;
    return this.inObjects(id, this.listSegments(hour).filter((key) => !listed.includes(key)));
  }

  private listSegments(hour: string): string[] {
    const keys = segmentKeys(this.layout, hour);
    this.segments.set(hour, keys);
    return keys;
  }

  private inObjects(id: string, keys: readonly string[]): StoredEvent | undefined {
    for (const key of keys) {
      const found = this.inObject(key, id);
      if (found) return found;
    }
    return undefined;
  }

  private inAppend(offset: number): Map<string, JournaledEvent> {
    let byId = this.appends.get(offset);
    if (byId) return byId;
    byId = new Map();
    for (const line of appendLines(this.journal, offset)) {
      const event = parseEventLine(line.content);
      const id = event && eventIdOrUndefined(event);
      if (id !== undefined && !byId.has(id)) byId.set(id, { content: line.content, location: locationOf(line)!, end: line.end });
    }
    this.appends.set(offset, byId);
    return byId;
  }

  /** The line of `id` in object `key` (hot, restored or archived copy). */
  private inObject(key: string, id: string): StoredEvent | undefined {
    for (const path of copies(this.layout, key)) {
      if (!this.files.has(path)) this.files.set(path, readLines(path, key));
      const found = this.files.get(path)?.get(id);
      if (found) return found;
    }
    return undefined;
  }
}

/** Where copies of object `key` may be: hot first, then restored and archived. */
function copies(layout: DataDirLayout, key: string): string[] {
  return [hotPath(layout, key), restoredPath(layout, key), ...ARCHIVE_CLASSES.map((c) => archivePath(layout, c, key))];
}

/** The error of a stored identity whose bytes no object holds any more. */
function lost(what: string): never {
  throw new StorageError(`${what}; restore the removed object from a backup before sending this event again`);
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

/** The events of the object file at `path` (a copy of `key`) by identity, or undefined when there is no such file. */
function readLines(path: string, key: string): Map<string, StoredEvent> | undefined {
  const bytes = readIfExists(path);
  if (!bytes) return undefined;
  const single = key.endsWith(EVENT_OBJECT_SUFFIX);
  const byId = new Map<string, StoredEvent>();
  for (const { start, end } of lineSpans(bytes)) {
    const content = bytes.toString('utf8', start, end);
    const event = parseEventLine(content);
    const id = event && eventIdOrUndefined(event);
    if (id !== undefined && !byId.has(id)) byId.set(id, { content, location: single ? { key } : { key, offset: start, length: end - start } });
  }
  return byId;
}

function eventIdOrUndefined(event: Parameters<typeof eventId>[0]): string | undefined {
  try {
    return eventId(event);
  } catch {
    return undefined;
  }
}
