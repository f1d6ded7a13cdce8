// The journal read back as stored events (what LocalIndexer indexes): each line with where its event now is, its
// storage class, and lines whose object was removed or never stored left out.

import { StorageError } from '../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';
import { holdsLine } from './batch-plan.ts';
import { readIfExists } from './durable-fs.ts';
import { archivedClass, parseEventLine } from './fs-objects.ts';
import { parseBatchRef, type IngestJournal, type JournalLine } from './ingest-journal.ts';
import { hotPath, type DataDirLayout } from './layout.ts';
import type { DirCache } from './dir-cache.ts';
import { settle } from './materializer.ts';

/** One stored event as the journal recorded it, for the local indexer. */
export interface JournalEntry {
  /** The object holding the event. */
  readonly key: string;
  /** Where the event's line is: `{ key, offset, length }` in a batch object, `{ key }` for a one-event object. */
  readonly location: EventLocation;
  readonly id: string;
  /** Bytes of the event's line, newline included. */
  readonly size: number;
  readonly event: DomainEvent;
  /** Byte offset of the journal line. */
  readonly offset: number;
  readonly storageClass: StorageClass;
}

/** What reading the journal back needs of the log. */
export interface JournalSource {
  readonly layout: DataDirLayout;
  readonly dirs: DirCache;
  readonly journal: IngestJournal;
  /** Create every journaled object that is missing (the log's checkpoint). */
  readonly materialize: () => Promise<unknown>;
}

type ObjectState = Buffer | StorageClass | 'removed';

/**
 * Stored events journaled from byte `offset` up to `end` (the committed end; at most `limit` lines), with the offset
 * to continue from. An object a concurrent (or crashed) writer has not created yet is materialized first; a line whose
 * object was removed by compaction, or that lost a race to other content (one-event objects of older data dirs), is
 * skipped.
 */
export async function journalEntries(source: JournalSource, offset: number, end: number, limit: number): Promise<{ entries: JournalEntry[]; next: number }> {
  const { layout, dirs, journal } = source;
  if (offset >= end) return { entries: [], next: offset };
  const { lines: read, next: after } = journal.read(offset, limit);
  const lines = read.filter((l) => l.offset < end);
  const next = Math.min(after, end);
  const entries: JournalEntry[] = [];
  const objects = new Map<string, ObjectState>();
  for (const line of lines) {
    const ref = parseBatchRef(line.key);
    if (!ref) {
      const s = settle(layout, dirs, line, () => journal.materialized());
      if (s.state === 'superseded' || s.state === 'removed') continue;
      entries.push(entryOf(line, { key: line.key }, s.storageClass));
      continue;
    }
    let state = objects.get(ref.key) ?? (await batchObjectState(source, ref.key, line, objects));
    if (state === 'removed') continue;
    const location = { key: ref.key, offset: ref.offset, length: Buffer.byteLength(line.content) };
    if (Buffer.isBuffer(state)) {
      // Shorter: the line followed a hole a power cut left in an unacknowledged append; it was never stored.
      if (state.length < location.offset + location.length + 1) continue;
      if (!holdsLine(state, location, line.content)) throw new StorageError(`batch object ${ref.key} does not hold journal line ${line.offset}; run recovery (reopen the log)`);
      state = 'STANDARD';
    }
    entries.push(entryOf(line, location, state));
  }
  return { entries, next };
}

/** A batch object's bytes (hot), its archive class, or `removed`; materializes it first when a writer has not yet. */
async function batchObjectState(source: JournalSource, key: string, line: JournalLine, seen: Map<string, ObjectState>): Promise<ObjectState> {
  for (let attempt = 0; ; attempt++) {
    const bytes = readIfExists(hotPath(source.layout, key));
    const state = bytes ?? archivedClass(source.layout, key) ?? (line.offset < source.journal.materialized() ? 'removed' : undefined);
    if (state !== undefined) {
      seen.set(key, state);
      return state;
    }
    if (attempt > 0) throw new StorageError(`batch object ${key} of journal line ${line.offset} is missing after recovery`);
    await source.materialize();
  }
}

function entryOf(line: JournalLine, location: EventLocation, storageClass: StorageClass): JournalEntry {
  const event = parseEventLine(line.content) as DomainEvent;
  return { key: location.key, location, id: eventId(event), size: Buffer.byteLength(line.content) + 1, event, offset: line.offset, storageClass };
}
