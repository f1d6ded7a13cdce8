// Opening a data dir read-only: a backup on a read-only mount, a copy another user owns, a volume mounted `:ro`.
// Reads answer from what is on disk; nothing is created, locked, caught up or changed, and writes are refused.

import { statSync } from 'node:fs';
import { createBalancesProjection } from '../../domain/balances.ts';
import { bareCommand, type SpellCommand } from '../../domain/command-spelling.ts';
import { READ_ONLY, type NotWritableDetails } from '../../domain/data-dir-errors.ts';
import { ClosedError, DataDirNotWritableError, InvalidArgumentError } from '../../domain/errors.ts';
import { describeValue, isOptionsObject, refuseUnknownKeys } from '../../domain/known-keys.ts';
import { CloseGate, guardClosed, guardClosedFn } from '../../projections/closed-guard.ts';
import { Eventlake } from '../../projections/eventlake.ts';
import type { CatchUpReport, LocalEventlake, LocalEventlakeOptions, PortName } from '../../projections/runtime.ts';
import { createStatementProjection } from '../../projections/statement.ts';
import { DispatchStallRecord } from './dispatch-stall-record.ts';
import { FsArchiveTier } from './fs-archive-tier.ts';
import { dataDirLayout, type DataDirLayout } from './layout.ts';
import { refuseLostIndex } from './lost-index-guard.ts';
import { assertOpenOptions, loadRegistry } from './open-options.ts';
import { ReadOnlyFsEventLog, refuseWrites, SCRATCH_REFUSED, WRITING_METHODS, type WriteRefusal } from './read-only-ports.ts';
import { registerScratchPorts } from './read-only-verification.ts';
import { SqliteCheckpointStore } from './sqlite-checkpoint-store.ts';
import { SqliteDeadLetterStore } from './sqlite-dead-letter-store.ts';
import { SqliteEventIndex } from './sqlite-event-index.ts';
import { markReadOnly } from './sqlite-private-copy.ts';
import { SqliteProjectionStore } from './sqlite-projection-store.ts';
import { SqliteSnapshotStore } from './sqlite-snapshot-store.ts';

/** What `openReadOnlyLocalEventlake` takes beside the options of `openLocalEventlake` (`dispatch`, `onCatchUpError` unused). */
export interface ReadOnlyOptions {
  /**
   * The error every write refuses with. Default: a `DataDirNotWritableError` saying the data dir was opened read-only.
   * The CLI passes the error a writable open met (the file system is read-only, another user owns the files).
   */
  readonly refusal?: WriteRefusal;
}

const NO_CATCH_UP: CatchUpReport = { indexed: 0, dispatched: 0, deadLettered: 0 };

/** The refusal of each runtime this module opened (`writeRefusal`). */
const refusals = new WeakMap<object, WriteRefusal>();

/**
 * The error `local` refuses a write with when `openReadOnlyLocalEventlake` opened it, naming `operation` (e.g.
 * `lake.emit`, or words such as `dispatching events`); undefined for any other runtime. Why callers ask first: a
 * writer that would only ever be refused (`eventlake run`, POST on a read-only server) says so at once, not per call.
 */
export function writeRefusal(local: object, operation: string): Error | undefined {
  const refused = refusals.get(local)?.(operation);
  // The error a writable open met (EROFS at `opening …`) is told as this write's: the data dir was opened after all.
  if (!(refused instanceof DataDirNotWritableError) || refused.details.errno === READ_ONLY) return refused;
  const { dataDir } = refused.details;
  return new DataDirNotWritableError({ ...refused.details, doing: `${WORDS[operation] ?? operation} on ${dataDir}`, kept: 'nothing was written' }, { cause: refused.cause });
}

/**
 * Open the embedded default in `options.dataDir` without writing to it: every database is read as a private copy in
 * memory (see `privateCopy`), events from their objects on disk. Nothing is caught up: events a writer journaled but
 * had not indexed are not seen, and balances answer what was dispatched (`eventlake status` shows the lag, and a
 * dispatch stall another process recorded in the data dir, read without writing it). Every
 * writing call (emit, a snapshot, an archive move, a rebuild's generation, a redrive) refuses at once with
 * `DataDirNotWritableError` and nothing written (a verification reads snapshots back through `readOnlyVerification`,
 * read-only-verification.ts, in the in-memory copy). Throws `InvalidArgumentError` on `dataDir` when it holds no
 * index.db (nothing to read), and, as `openLocalEventlake` does, `IndexLostError` and `InvalidArgumentError` naming an
 * unknown or mistyped option (in either argument).
 *
 * @example
 * const local = await openReadOnlyLocalEventlake({ dataDir: '/mnt/backup/.eventlake' });
 * console.log(await local.lake.balance('DE44-5001-0517'));
 * await local.close();
 */
export async function openReadOnlyLocalEventlake(options: LocalEventlakeOptions, extra: ReadOnlyOptions = {}): Promise<LocalEventlake> {
  assertOpenOptions(options, 'openReadOnlyLocalEventlake');
  assertReadOnlyOptions(extra);
  const layout = dataDirLayout(options.dataDir);
  const now = options.now ?? Date.now;
  const registry = loadRegistry(options, now);
  refuseMissing(layout);
  refuseLostIndex(layout);
  const refusal = extra.refusal ?? openedReadOnly(layout.root);
  const release = markReadOnly(layout.root);
  const opened: { close(): unknown }[] = [];
  const keep = <T extends { close(): unknown }>(part: T): T => {
    opened.push(part);
    return part;
  };
  try {
    const decorate = options.decorate ?? (<T>(_: PortName, port: T) => port);
    const guard = <T extends object>(name: keyof typeof WRITING_METHODS, port: T): T => refuseWrites(port, name, WRITING_METHODS[name], refusal);
    const log = decorate('log', new ReadOnlyFsEventLog(layout.root, refusal));
    const index = guard('index', decorate('index', keep(new SqliteEventIndex(layout.indexDb))));
    const projections = [createBalancesProjection(options.balanceRules ?? {}), createStatementProjection(options.balanceRules ?? {}), ...(options.projections ?? [])];
    const names = projections.map((p) => p.name);
    const sqliteStore = keep(new SqliteProjectionStore(layout.projectionsDb, { projections: names }));
    const decoratedStore = decorate('store', sqliteStore);
    const store = guard('store', decoratedStore);
    const checkpoints = guard('checkpoints', decorate('checkpoints', keep(new SqliteCheckpointStore(layout.dispatchDb))));
    const deadLetters = guard('deadLetters', decorate('deadLetters', keep(new SqliteDeadLetterStore(layout.dispatchDb))));
    // A clock stopped at 0: no restore ever comes due here, so reading storage classes never copies or removes a file.
    const archive = guard('archive', decorate('archive', keep(new FsArchiveTier({ dataDir: layout.root, restoreDelayMs: 0, now: () => 0 }))));
    const decoratedSnapshots = decorate('snapshots', new SqliteSnapshotStore({ dataDir: layout.root, store: sqliteStore, now, projections: names }));
    const snapshots = guard('snapshots', decoratedSnapshots);
    const closed = new CloseGate(() => new ClosedError(`the read-only local eventlake on ${layout.root}`, `open it again with openReadOnlyLocalEventlake({ dataDir: '${layout.root}' })`));
    const lake = guard('lake', new Eventlake({ registry, log, index, store, projections: names }));
    // Read, never written: a stall another process recorded is the one thing status cannot find out without writing.
    const stallRecord = keep(DispatchStallRecord.openForReading(layout.root));
    let closing: Promise<void> | undefined;
    const local: LocalEventlake = {
      target: 'local',
      dataDir: layout.root,
      registry,
      log: guardClosed(log, closed),
      index: guardClosed(index, closed),
      store: guardClosed(store, closed),
      snapshots: guardClosed(snapshots, closed),
      archive: guardClosed(archive, closed),
      checkpoints: guardClosed(checkpoints, closed),
      deadLetters: guardClosed(deadLetters, closed),
      projections,
      lake: guardClosed(lake, closed, { pure: ['prepare'] }),
      upcast: registry.upcast,
      now,
      // Reads answer from what is on disk: catching up would write the index and the projections.
      catchUp: guardClosedFn(async () => NO_CATCH_UP, closed),
      catchUpIndex: guardClosedFn(async () => ({ indexed: 0 }), closed),
      redriveDeadLetters: guardClosedFn(async () => Promise.reject(refusal('redriveDeadLetters')), closed),
      dispatchedPosition: guardClosedFn(() => checkpoints.get('dispatch'), closed),
      dispatchStall: () => stallRecord.read(),
      close() {
        closing ??= (async () => {
          await closed.close();
          for (const part of opened) await part.close();
          release();
        })();
        return closing;
      },
    };
    refusals.set(local, refusal);
    registerScratchPorts(local, {
      store: guardClosed(refuseWrites(decoratedStore, 'store', SCRATCH_REFUSED.store, refusal), closed),
      snapshots: guardClosed(refuseWrites(decoratedSnapshots, 'snapshots', SCRATCH_REFUSED.snapshots, refusal), closed),
      refusal: (operation) => writeRefusal(local, operation)!,
    });
    return local;
  } catch (error) {
    for (const part of opened.reverse()) await Promise.resolve().then(() => part.close()).catch(() => undefined);
    release();
    throw error;
  }
}

/** The second argument checked as the first is (assertOpenOptions): an unknown key or a refusal that is no function is refused. */
function assertReadOnlyOptions(extra: unknown): void {
  const where = 'the second argument (ReadOnlyOptions) of openReadOnlyLocalEventlake';
  if (!isOptionsObject(extra)) throw new InvalidArgumentError('extra', `${where} is an object such as { refusal }, got ${describeValue(extra)}`);
  refuseUnknownKeys(extra, ['refusal'] satisfies (keyof ReadOnlyOptions)[], where);
  if (extra['refusal'] !== undefined && typeof extra['refusal'] !== 'function') {
    throw new InvalidArgumentError('refusal', `expected a function (operation) => Error, got ${describeValue(extra['refusal'])}`);
  }
}

/** Why: opened read-only, a missing data dir would read as an empty one, which hides a mistyped path. */
function refuseMissing(layout: DataDirLayout): void {
  if (statSync(layout.indexDb, { throwIfNoEntry: false })?.isFile()) return;
  throw new InvalidArgumentError('dataDir', `${layout.root} holds no index.db, so there is nothing to read; a data dir opened read-only is read as it is, ` +
    'never created: point it at a data dir eventlake wrote');
}

/** What a refused operation is called in the error; others go by their port and method (`store.promote`). */
const WORDS: Readonly<Record<string, string>> = {
  'lake.emit': 'storing events', 'lake.append': 'storing events', 'snapshots.take': 'taking a snapshot',
  'archive.transition': 'moving an object to an archive class', 'archive.restore': 'restoring archived objects',
  'checkpoints.compareAndSet': 'taking a lease or moving a checkpoint', redriveDeadLetters: 'redriving dead letters',
};

/** The refusal of a data dir opened read-only on request (`--read-only`, EVENTLAKE_READ_ONLY=1, or this API). */
function openedReadOnly(root: string): WriteRefusal {
  return (operation) => askedReadOnly({
    path: root, errno: READ_ONLY, access: 'write', doing: `${WORDS[operation] ?? operation} on ${root}`, kept: 'nothing was written', dataDir: root,
  });
}

/**
 * The refusal of a data dir opened read-only on request, whose read commands (`status`, `check`) carry `--read-only`
 * however the caller spells them. Why: the CLI repeats the global options given, and without the flag the suggested
 * `status` would open the data dir writable, running crash recovery on what the user asked to keep as it is.
 */
function askedReadOnly(details: NotWritableDetails, spell: SpellCommand = bareCommand): DataDirNotWritableError {
  const error = new DataDirNotWritableError(details, undefined, (...args) => spell('--read-only', ...args));
  // Not enumerable, as namingCommands does: the error serializes as its class builds it.
  Object.defineProperty(error, 'spelledWith', { value: (again: SpellCommand) => askedReadOnly(details, again), enumerable: false });
  return error;
}
