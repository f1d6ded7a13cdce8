// One FsEventLog append under the catalogue lock: duplicates and conflicts sorted out before anything is written,
// then the new events journaled (one fdatasync), their batch objects created and the catalogue's cursor moved; on any
// file-system or SQLite failure (a full disk, a folder it may not write, a read-only file system…), all of it undone.

import { existsSync } from 'node:fs';
import { batchSequenceOf } from '../../domain/batch-objects.ts';
import { EventConflictError, StorageError, StorageFullError } from '../../domain/errors.ts';
import type { AppendResult } from '../../domain/ports/event-log.ts';
import { objectBytes, planObjects, type BatchEvent, type PlannedObject } from './batch-plan.ts';
import { createReserved, readIfExists, unlinkIfExists } from './durable-fs.ts';
import { journalBytes, type IngestJournal } from './ingest-journal.ts';
import { hotPath, type DataDirLayout } from './layout.ts';
import { createEventObject, type DirCache } from './dir-cache.ts';
import type { SqliteLogCatalogue } from './sqlite-log-catalogue.ts';
import { otherHour } from './other-hour-conflict.ts';
import { StoredEvents } from './stored-event.ts';
import { asStorageFailure, isDiskFailure, isStorageFailure } from './storage-full.ts';

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
 * `journalNew` under the catalogue lock, all or nothing on a file-system or SQLite failure (`isStorageFailure`): the
 * batch is then undone and a StorageFullError (a full disk) or StorageError says nothing of it was stored (or, when
 * undoing failed too, that part may be). Other errors (a test seam's crash) leave the journal as a crash would: what
 * it holds is recorded by the next lock holder.
 */
export function journalLocked(ctx: AppendContext, batch: ReadonlyMap<string, BatchEvent>, results: AppendResult[]): Journaled | undefined {
  const done: { journaled?: Journaled | undefined } = {};
  try {
    return ctx.catalogue.locked(() => (done.journaled = journalNew(ctx, batch, results)));
  } catch (error) {
    const { journaled } = done;
    if (!journaled || !isStorageFailure(error)) throw asStorageFailure(error, storing(batch.size), ctx.layout.logCatalogue, keptOfUnjournaled(results));
    // The COMMIT failed after the journal write: SQLite rolled back and freed the lock, so take it again to undo.
    try {
      return ctx.catalogue.locked(() => settleFailedCommit(ctx, journaled, error));
    } catch (settleError) {
      throw settleError instanceof StorageFullError || settleError instanceof StorageError ? settleError : mayBeStored(journaled, error, ctx.layout.logCatalogue, settleError);
    }
  }
}

/**
 * Call inside `catalogue.locked`: record leftovers of crashed writers, sort the batch into duplicates and conflicts
 * (throwing before anything is written) and new events, journal the new ones and record them. Fills `results` for
 * duplicates; returns what was journaled, or undefined when nothing was new.
 */
function journalNew(ctx: AppendContext, batch: ReadonlyMap<string, BatchEvent>, results: AppendResult[]): Journaled | undefined {
  const { catalogue, journal } = ctx;
  const sequence = catalogue.catchUp(journal); // the journal's end: nobody else writes it while we hold the lock
  const known = catalogue.claim([...batch.values()].map((f) => f.key), sequence);
  const fresh: BatchEvent[] = [];
  const stored = new StoredEvents(ctx.layout, journal);
  for (const f of batch.values()) {
    const at = known.get(f.id);
    if (at === undefined) {
      fresh.push(f);
      continue;
    }
    if (at.key !== f.key) throw otherHour(stored, f.id, at);
    const found = stored.find(at.journalOffset, f.id, f.hour);
    if (found?.content !== f.content) throw new EventConflictError(f.id, found?.location.key ?? `${f.hour}${f.id}`);
    const location = found.location;
    for (const i of f.at) results[i] = { id: f.id, key: location.key, location, status: 'duplicate', size: f.length + 1 };
  }
  if (fresh.length === 0) return undefined;
  const { objects, records } = planObjects(fresh, sequence);
  const bytes = journalBytes(records);
  const journaled = { start: sequence, end: sequence + bytes.length, objects, events: fresh.length };
  // Before the journal write: once it is written, no statement may fail (a full disk rolls SQLite's transaction
  // back and frees the lock at once); only the COMMIT is left, which settleFailedCommit handles.
  catalogue.setCursor(journaled.end);
  let where = ctx.layout.journalDir;
  const created: PlannedObject[] = [];
  try {
    journal.appendBytes(bytes, sequence);
    ctx.afterJournal?.();
    where = ctx.layout.events;
    for (const object of objects) {
      createObject(ctx, object);
      created.push(object);
    }
  } catch (error) {
    // Errors without an fs/SQLite code (the afterJournal seam's simulated crash) act as a crash: the journal holds the
    // batch, the next lock holder records it.
    if (!isStorageFailure(error)) throw error;
    // Only the objects created: the others are not there, and unlinking them where the folder refused us (a parent
    // we may not search) fails too, which left the batch "maybe stored" for nothing.
    throw undo(ctx, { ...journaled, objects: created }, error, where);
  }
  return journaled;
}

/**
 * After an append's catalogue COMMIT failed (a full disk, a read-only file: SQLite rolled back and freed the lock),
 * call in a new `catalogue.locked`: undoes the append when nobody recorded its lines meanwhile (none could act on
 * them: readers stop at the committed cursor), else returns it, stored (another appender's catch-up recorded it).
 */
function settleFailedCommit(ctx: AppendContext, journaled: Journaled, error: unknown): Journaled {
  const cursor = ctx.catalogue.cursor();
  if (cursor >= journaled.end) return journaled;
  if (cursor === journaled.start && ctx.journal.size() === journaled.end) throw undo(ctx, journaled, error, ctx.layout.logCatalogue);
  const seen = new StorageError(`the journal moved to ${ctx.journal.size()} (catalogue cursor ${cursor}) while the append of ${journaled.start}-${journaled.end} was undone`);
  throw mayBeStored(journaled, error, ctx.layout.logCatalogue, seen);
}

/**
 * Undo a failed append under the lock: the objects it created (`journaled.objects`), then the journal back to where
 * it began. The error to throw: `StorageFullError` or `StorageError` saying nothing was stored, or, when undoing
 * failed too, that part of the batch may be stored.
 */
function undo(ctx: AppendContext, journaled: Journaled, error: unknown, where: string): unknown {
  try {
    // Objects first: should this fail, the journal still holds every line of the objects left, so they are stored.
    for (const object of journaled.objects) {
      const path = hotPath(ctx.layout, object.key);
      unlinkIfExists(path);
      ctx.dirs.settled(path);
    }
    ctx.journal.truncateTo(journaled.start);
  } catch (undoError) {
    return mayBeStored(journaled, error, where, undoError);
  }
  return asStorageFailure(error, storing(journaled.events), where, 'nothing of it was stored');
}

/** The error of an append that could not be undone: part of it may be stored, and how to finish it safely. */
function mayBeStored(journaled: Journaled, error: unknown, where: string, undoError: unknown): unknown {
  const kept = `part of it may be stored (undoing it failed: ${(undoError as Error)?.message ?? String(undoError)}), ` +
    `so once ${isDiskFailure(error) ? 'space is freed' : 'that is fixed'} send the same events again with the same RequestIds: those stored answer duplicate, the others are stored`;
  return asStorageFailure(error, storing(journaled.events), where, kept);
}

const storing = (events: number) => `storing a batch of ${events} events in the log`;

/**
 * What is kept of a batch whose transaction failed before journaling anything. Why not always "nothing": when every
 * event of it was a duplicate (a re-send), the transaction had nothing to write, and all of it was stored earlier.
 */
function keptOfUnjournaled(results: readonly (AppendResult | undefined)[]): string {
  if (results.length === 0 || !Array.from(results).every((r) => r?.status === 'duplicate')) return 'nothing of it was stored';
  return `all ${results.length} of its events were already stored by an earlier append (nothing new was to be written), so sending them again answers duplicate`;
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
