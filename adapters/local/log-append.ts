// One FsEventLog append under the catalogue lock: duplicates and conflicts sorted out before anything is written,
// then the new events journaled (one fdatasync), their batch objects created and the catalogue's cursor moved.

import { existsSync } from 'node:fs';
import { batchSequenceOf } from '../../domain/batch-objects.ts';
import { EventConflictError, StorageError } from '../../domain/errors.ts';
import type { AppendResult } from '../../domain/ports/event-log.ts';
import { objectBytes, planObjects, type BatchEvent, type PlannedObject } from './batch-plan.ts';
import { createReserved, readIfExists } from './durable-fs.ts';
import type { IngestJournal } from './ingest-journal.ts';
import { hotPath, type DataDirLayout } from './layout.ts';
import { createEventObject, type DirCache } from './dir-cache.ts';
import type { SqliteLogCatalogue } from './sqlite-log-catalogue.ts';
import { StoredEvents } from './stored-event.ts';

/** What an append under the lock works with. */
export interface AppendContext {
  readonly layout: DataDirLayout;
  readonly journal: IngestJournal;
  readonly dirs: DirCache;
  readonly catalogue: SqliteLogCatalogue;
  /** Test seam: runs after the journal fsync, before the objects and the catalogue commit. */
  readonly afterJournal: (() => void) | undefined;
}

/** What one append journaled: its byte range and objects. */
export interface Journaled {
  readonly start: number;
  readonly end: number;
  readonly objects: PlannedObject[];
  /** Events stored (the objects' lines). */
  readonly events: number;
}

/** createReserved, shaped as createOnce for createEventObject. */
const reserveAndCreate = (path: string, bytes: string | Buffer): 'created' => {
  createReserved(path, bytes);
  return 'created';
};

/**
 * Call inside `catalogue.locked`: record leftovers of crashed writers, sort the batch into duplicates and conflicts
 * (throwing before anything is written) and new events, journal the new ones and record them. Fills `results` for
 * duplicates; returns what was journaled, or undefined when nothing was new.
 */
export function journalNew(ctx: AppendContext, batch: ReadonlyMap<string, BatchEvent>, results: AppendResult[]): Journaled | undefined {
  const { catalogue, journal } = ctx;
  const sequence = catalogue.catchUp(journal); // the journal's end: nobody else writes it while we hold the lock
  const known = catalogue.claim([...batch.values()].map((f) => f.key), sequence);
  const fresh: BatchEvent[] = [];
  const stored = new StoredEvents(ctx.layout, journal);
  for (const f of batch.values()) {
    const at = known.get(f.key);
    if (at === undefined) {
      fresh.push(f);
      continue;
    }
    const found = stored.find(at, f.id, f.hour);
    if (found?.content !== f.content) throw new EventConflictError(f.id, found?.location.key ?? `${f.hour}${f.id}`);
    const location = found.location;
    for (const i of f.at) results[i] = { id: f.id, key: location.key, location, status: 'duplicate', size: f.length + 1 };
  }
  if (fresh.length === 0) return undefined;
  const { objects, records } = planObjects(fresh, sequence);
  const end = journal.append(records, sequence);
  ctx.afterJournal?.();
  for (const object of objects) createObject(ctx, object);
  catalogue.setCursor(end);
  return { start: sequence, end, objects, events: fresh.length };
}

/**
 * Create a journaled batch object (no fsync: the journal holds its bytes until the next checkpoint), still under
 * the catalogue lock. Why under it: checkpoints create journaled objects too, but only up to the journal's end as
 * of the last commit, so until this append commits no other process can be creating its objects (their keys hold
 * its journal offset, which no earlier append had), and each is published by rename() of a complete temp file,
 * which is cheaper than link() + unlink(). Anything found under the name anyway was not written by the log: with
 * other bytes than the journal's it is an error, as it always was.
 */
function createObject(ctx: AppendContext, object: PlannedObject): void {
  const bytes = objectBytes(object);
  const path = hotPath(ctx.layout, object.key);
  if (!existsSync(path)) {
    createEventObject(ctx.dirs, path, bytes, reserveAndCreate);
    return;
  }
  if (!readIfExists(path)?.equals(bytes)) throw new StorageError(`batch object ${object.key} exists with other bytes than its journal lines`);
}

/**
 * Whether a duplicate in `results` is in a batch object that is missing and journaled past the durable marker: an
 * append that failed (or whose process died) between its journal fsync and its objects leaves it to the next
 * checkpoint, so the caller checkpoints before answering a location nobody could read yet. A stat per object.
 */
export function duplicateNotCreatedYet(layout: DataDirLayout, journal: IngestJournal, results: readonly AppendResult[]): boolean {
  const keys = new Set(results.filter((r) => r.status === 'duplicate').map((r) => r.location.key));
  for (const key of keys) {
    const sequence = batchSequenceOf(key);
    if (sequence !== undefined && !existsSync(hotPath(layout, key)) && sequence >= journal.materialized()) return true;
  }
  return false;
}
