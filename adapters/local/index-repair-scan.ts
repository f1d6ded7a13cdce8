// The scan of `repairIndex`: every object of the data dir (hot, restored, archived) read once, its events put into a
// fresh index in the order that gives them positions, through SqliteEventIndex's own put.

import { namingCommands } from '../../domain/command-spelling.ts';
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync } from 'node:fs';
import { batchSequenceOf } from '../../domain/batch-objects.ts';
import { StorageError } from '../../domain/errors.ts';
import { eventDigest } from '../../projections/event-digest.ts';
import { accountsOf, EVENT_OBJECT_SUFFIX, EVENTS_PREFIX, eventId, type DomainEvent } from '../../domain/event.ts';
import type { NewIndexEntry } from '../../domain/ports/event-index.ts';
import type { ObjectStorage } from '../../domain/ports/storage.ts';
import type { FsArchiveTier } from './fs-archive-tier.ts';
import { lineSpans, listObjects, parseEventLine, readWhole } from './fs-objects.ts';
import { archivePath, hotPath, restoredPath, type ArchiveClass, type DataDirLayout } from './layout.ts';
import { walkEventTrees } from './log-check-files.ts';
import { readOrRefuse } from './log-check-unreadable.ts';
import type { IndexCursor, SqliteEventIndex } from './sqlite-event-index.ts';

/** Objects read, by the copy their bytes came from. */
export interface ObjectsRead {
  readonly hot: number;
  readonly restored: number;
  readonly archived: number;
}

/** What the scan put into the new index. */
export interface ScanReport {
  /** Event lines read from objects. */
  readonly eventsRead: number;
  /** Rows of the new index (lines of an id already put, e.g. a batch object compaction had copied but not removed, are not). */
  readonly eventsIndexed: number;
  readonly objectsRead: ObjectsRead;
  /** Batch objects: their events took positions in journal order (within their tier). */
  readonly batchObjects: number;
  /** Segments and one-event objects: after the batch objects of their tier, in (EventTimeStamp, id) order. */
  readonly otherObjects: number;
  /** Last position of an archived object's event (0: none): positions 1 to it are the archived events. */
  readonly archivedThrough: number;
}

/** Entries per put: one transaction (one fsync) per page, and memory bounded by one page whatever the log's size. */
const PUT_PAGE = 5_000;

/**
 * Put every event the objects hold into `index` (empty), then set `cursor` with the last page. Order, in two tiers:
 * first the archived objects' events (GLACIER, DEEP_ARCHIVE, restored or not), then the hot ones; in each tier, batch
 * objects by the journal offset their name carries (the order the indexer put them in), their lines in object order,
 * then the events of segments and one-event objects by (EventTimeStamp, id).
 *
 * Why archived first: the lifecycle archives hours older than the hot ones, so this is closer to ingestion order, and
 * it gives the dispatch checkpoint a sound value (`archivedThrough`, see forgetPositions). Why segments after batch
 * objects and not among them: a segment's lines no longer say which append wrote them (compaction merged batch objects
 * of different appends), so no sound place among the batch objects exists; time order is deterministic, so a second
 * repair gives the same positions.
 *
 * Memory: object keys and the non-batch events wait in a temporary SQLite database (on disk, not in the heap), so
 * only one object's bytes and one page of entries are held at once.
 */
export async function scanObjects(layout: DataDirLayout, archive: FsArchiveTier, index: SqliteEventIndex, cursor: IndexCursor,
  accounts: (event: DomainEvent) => string[] = accountsOf): Promise<ScanReport> {
  refuseUnreadableObjects(layout);
  // '' opens a private temporary database that SQLite spills to a temp file: sorting a million rows stays off the heap.
  const temp = new Database('');
  try {
    temp.exec(`CREATE TABLE batches (tier INTEGER NOT NULL, sequence INTEGER NOT NULL, key TEXT NOT NULL, storage TEXT NOT NULL);
      CREATE TABLE others (tier INTEGER NOT NULL, timestamp INTEGER NOT NULL, id TEXT NOT NULL, entry TEXT NOT NULL);`);
    const counts = { hot: 0, restored: 0, archived: 0 };
    const read = (key: string, storage: ObjectStorage) => readEntries(layout, key, storage, counts, accounts);
    let eventsRead = 0;
    let batchObjects = 0;
    let otherObjects = 0;
    const addBatch = temp.prepare('INSERT INTO batches VALUES (?, ?, ?, ?)');
    const addOther = temp.prepare('INSERT INTO others VALUES (?, ?, ?, ?)');
    for await (const { key } of listObjects(layout, EVENTS_PREFIX)) {
      const [storage] = await archive.storage([key]);
      const tier = storage!.storageClass === 'STANDARD' ? HOT : ARCHIVED;
      const sequence = batchSequenceOf(key);
      if (sequence !== undefined) {
        addBatch.run(tier, sequence, key, JSON.stringify(storage));
        batchObjects++;
        continue;
      }
      const entries = read(key, storage!);
      temp.transaction(() => { for (const e of entries) addOther.run(tier, e.timestamp, e.id, JSON.stringify(e)); })();
      eventsRead += entries.length;
      otherObjects++;
    }
    const pages = new Pages(index);
    const batchesOf = temp.prepare('SELECT key, storage FROM batches WHERE tier = ? ORDER BY sequence, key');
    const othersOf = temp.prepare('SELECT entry FROM others WHERE tier = ? ORDER BY timestamp, id, rowid').pluck();
    let archivedThrough = 0;
    for (const tier of [ARCHIVED, HOT]) {
      for (const row of batchesOf.iterate(tier) as Iterable<{ key: string; storage: string }>) {
        const entries = read(row.key, JSON.parse(row.storage) as ObjectStorage);
        eventsRead += entries.length;
        await pages.add(entries);
      }
      for (const entry of othersOf.iterate(tier) as Iterable<string>) await pages.add([JSON.parse(entry) as NewIndexEntry]);
      if (tier === ARCHIVED) archivedThrough = await pages.flush();
    }
    await pages.flush(cursor);
    return { eventsRead, eventsIndexed: await index.count(), objectsRead: counts, batchObjects, otherObjects, archivedThrough };
  } finally {
    temp.close();
  }
}

const NOT_REPAIRED = 'index.db was not rebuilt, and nothing was changed (a rebuild that read it as empty would drop its events from the index)';

/**
 * Throw `StorageError` (naming the path, its owner's uid and the fix) when a folder of the event trees cannot be listed
 * or an object copy cannot be read. Why before the scan: its listing (listObjects) skips what it cannot list or stat,
 * as it skips what is absent, and a repair believing those folders empty would replace index.db without their events.
 * One pass over the trees, one access() per copy: a fraction of the scan, which reads every object whole.
 */
export function refuseUnreadableObjects(layout: DataDirLayout): void {
  for (const item of walkEventTrees(layout, NOT_REPAIRED)) {
    if (item.type !== 'object') continue;
    for (const path of Object.values(item.copies)) readOrRefuse(path, NOT_REPAIRED, () => accessSync(path, constants.R_OK));
  }
}

const ARCHIVED = 0;
const HOT = 1;

/** Entries gathered into pages of PUT_PAGE, each put in one transaction; the last page carries the cursor. */
class Pages {
  private pending: NewIndexEntry[] = [];

  constructor(private readonly index: SqliteEventIndex) {}

  async add(entries: readonly NewIndexEntry[]): Promise<void> {
    for (const e of entries) this.pending.push(e);
    if (this.pending.length >= PUT_PAGE) await this.put();
  }

  /** Put what is pending (with `cursor`, if given); returns the last position of the index. */
  async flush(cursor?: IndexCursor): Promise<number> {
    await this.put(cursor);
    return this.index.lastPosition();
  }

  private async put(cursor?: IndexCursor): Promise<void> {
    const page = this.pending;
    this.pending = [];
    await this.index.putWithCursor(page, cursor);
  }
}

/**
 * The index entries of one object's events, as the indexer writes them (entryOf): the class and restore state are the
 * object's, the size is the line's bytes with its newline, the digest is recorded for archived copies too. Bytes come from the hot copy, else a restored one, else the
 * archived one (the local tier keeps archived bytes as plain files, so no restore is needed to read them).
 */
function readEntries(layout: DataDirLayout, key: string, storage: ObjectStorage, counts: { hot: number; restored: number; archived: number },
  accounts: (event: DomainEvent) => string[]): NewIndexEntry[] {
  const { storageClass, restore } = storage;
  let path: string;
  if (storageClass === 'STANDARD') {
    path = hotPath(layout, key);
    counts.hot++;
  } else if (restore === 'RESTORED' && existsSync(restoredPath(layout, key))) {
    path = restoredPath(layout, key);
    counts.restored++;
  } else {
    path = archivePath(layout, storageClass as ArchiveClass, key);
    counts.archived++;
  }
  const bytes = readWhole(path, key);
  const single = key.endsWith(EVENT_OBJECT_SUFFIX);
  const entries: NewIndexEntry[] = [];
  for (const { start, end, torn } of lineSpans(bytes)) {
    const event = torn && !single ? undefined : parseEventLine(bytes.toString('utf8', start, end));
    if (!isEvent(event)) {
      throw namingCommands((spell) => new StorageError(`objects: ${path} holds bytes at offset ${start} that are not one whole event, so the index cannot be rebuilt from it; ` +
        `nothing was changed. Run ${spell('check')} to see every such object, move the damaged ones aside (or restore them from a backup), and run ${spell('repair', 'index')} again`));
    }
    const location = single ? { key } : { key, offset: start, length: end - start };
    entries.push({
      id: eventId(event), type: event.EventType, timestamp: event.EventTimeStamp, accounts: accounts(event),
      location, size: single ? bytes.length : end - start + 1, storageClass, restore, digest: eventDigest(event),
    });
  }
  return entries;
}

function isEvent(event: DomainEvent | undefined): event is DomainEvent {
  return event !== undefined && typeof event.EventType === 'string' && typeof event.RequestId === 'string' && Number.isFinite(event.EventTimeStamp);
}
