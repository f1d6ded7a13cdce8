// The composition root of the embedded default: every local adapter on one data directory, wired to the facade.

import { createBalancesProjection } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { ClosedError, EventNotFoundError } from '../../domain/errors.ts';
import { CloseGate, guardClosed, guardClosedFn } from '../../projections/closed-guard.ts';
import { DispatchTail } from '../../projections/dispatch-tail.ts';
import { Eventlake } from '../../projections/eventlake.ts';
import { releaseLeasesIn } from '../../projections/lease.ts';
import { projectorRoute } from '../../projections/projector.ts';
import { recordFirstGenerationRules } from '../../projections/rebuild/first-generation-rules.ts';
import { upcastersOf } from '../../projections/rebuild/rules-fingerprint.ts';
import type { CatchUpReport, LocalEventlake, LocalEventlakeOptions, PortName } from '../../projections/runtime.ts';
import { createStatementProjection } from '../../projections/statement.ts';
import { refuseUnusableAccess } from './data-dir-access.ts';
import { DispatchStallRecord } from './dispatch-stall-record.ts';
import { dataDirLayout } from './layout.ts';
import { localLeaseCheckpoints } from './lease-marks.ts';
import { LocalDispatcher } from './local-dispatcher.ts';
import { LocalIndexer } from './local-indexer.ts';
import { refuseLostIndex } from './lost-index-guard.ts';
import { openLocalParts } from './open-local-parts.ts';
import { assertOpenOptions, loadRegistry, refuseOpenReadOnly } from './open-options.ts';
import { SqliteSnapshotStore } from './sqlite-snapshot-store.ts';

/**
 * Open (creating if needed) the embedded default in `options.dataDir`. The log is recovered first, so an event
 * appended just before a crash is indexed and dispatched by the first `catchUp()`.
 * Throws `IndexLostError`, creating nothing, for a data dir that holds events but lost index.db (run
 * `eventlake repair index`), and `InvalidArgumentError` on `dataDir`, creating nothing, when it is not a non-empty path
 * of a folder (or of one to create); `InvalidArgumentError` naming the option, too, for an unknown option (a
 * misspelling such as `schemaFolder` is never ignored) or one of the wrong type (`schemaFolders: './schemas'`). Refuses too, creating nothing, a data dir it cannot write
 * (`DataDirNotWritableError`) or that another user owns (`DataDirForeignOwnerError`; EVENTLAKE_ALLOW_FOREIGN_OWNER=1
 * opens it all the same); `openReadOnlyLocalEventlake` reads such a data dir as it is. While one opened read-only in
 * this process is open, refuses it (`InvalidArgumentError`). `close()` refuses new calls at once and waits for those
 * in flight (see EventlakeRuntime.close) before it closes the databases.
 *
 * @example
 * const local = await openLocalEventlake({ dataDir: './.eventlake' });
 * await local.lake.emit(event);                 // validated, stored, indexed, dispatched
 * console.log(await local.lake.balance('DE44-5001-0517'));
 * await local.close();
 */
export async function openLocalEventlake(options: LocalEventlakeOptions): Promise<LocalEventlake> {
  assertOpenOptions(options, 'openLocalEventlake');
  const layout = dataDirLayout(options.dataDir);
  const now = options.now ?? Date.now;
  const decorate = options.decorate ?? (<T>(_: PortName, port: T) => port);
  const registry = loadRegistry(options, now);
  refuseOpenReadOnly(layout.root);
  // So is one this process cannot write, or another user's: opening writes even to read (SQLite WAL, recovery).
  refuseUnusableAccess(layout);
  // A data dir that holds events but lost index.db is refused too: a new one made from the journal would be partial.
  refuseLostIndex(layout);

  // Aborted by close(): a write waiting (up to 30 s) for another process's lock on index.db or projections.db ends.
  const closing = new AbortController();
  const projections = [createBalancesProjection(options.balanceRules ?? {}), createStatementProjection(options.balanceRules ?? {}), ...(options.projections ?? [])];
  const names = projections.map((p) => p.name);
  const { sqliteIndex, fsLog, sqliteStore, checkpointStore, deadLetterStore, fsArchive } = await openLocalParts(layout, {
    restoreDelayMs: options.restoreDelayMs ?? 0,
    now,
    onStorageChange: (key, storageClass, restore) => index.setObjectStorage(key, storageClass, restore),
    projections: names,
  }, closing.signal);
  const log = decorate('log', fsLog);
  const index = decorate('index', sqliteIndex);
  const store = decorate('store', sqliteStore);
  // With the kernel's word on lease holders: a rebuild or archive run killed here leaves no lease behind it.
  const checkpoints = localLeaseCheckpoints(decorate('checkpoints', checkpointStore), layout.root);
  const deadLetters = decorate('deadLetters', deadLetterStore);
  const archive = decorate('archive', fsArchive);
  const snapshots = decorate('snapshots', new SqliteSnapshotStore({ dataDir: layout.root, store: sqliteStore, now, projections: names }));

  const load = async (id: string): Promise<DomainEvent> => {
    const entry = await index.get(id);
    if (!entry) throw new EventNotFoundError(id);
    return registry.upcast(await log.read(entry.location));
  };
  const localDispatcher = new LocalDispatcher({
    // With the registry's upcasters: a fold into a live generation built with other rules is recorded on it (status shows it).
    rules: projections.map((p) => projectorRoute(store, p, { upcasters: upcastersOf(registry), now })),
    deadLetters,
    load,
    ...(options.dispatch?.maxAttempts !== undefined ? { maxAttempts: options.dispatch.maxAttempts } : {}),
    // Either delay alone sets the backoff (maxDelayMs alone was ignored); the other keeps the dispatcher's default.
    ...(options.dispatch?.baseDelayMs !== undefined || options.dispatch?.maxDelayMs !== undefined
      ? { backoff: { baseMs: options.dispatch.baseDelayMs ?? 50, maxMs: options.dispatch.maxDelayMs ?? 2_000 } } : {}),
  });
  const dispatcher = decorate('dispatcher', localDispatcher);
  // Once close() is called a catch-up stops at its next batch (`closed` is the gate below): close() waits for it, and
  // one following another process that appends faster than it dispatches never ended. The next open goes on from it.
  const stop = (): boolean => closed.closed();
  const tail = new DispatchTail({ index, log, dispatcher, checkpoints, upcast: registry.upcast, stop });
  // The tail's stall is this process's memory: recorded in the data dir too, so `eventlake status` sees it.
  const stallRecord = DispatchStallRecord.open(layout.root, { now });
  const indexer = new LocalIndexer({ log: fsLog, index, accountsOf: registry.accountsOf, stop });

  // Until the lake's first events are dispatched, the first generations record the rules that will fold them (a rebuild
  // records its own): asked once per catch-up only until something was dispatched, by any process.
  let firstFoldRecorded = false;
  const recordFirstFold = async (): Promise<boolean> => {
    if ((await checkpoints.get('dispatch')) > 0) return true;
    if ((await index.lastPosition()) === 0) return false;
    await recordFirstGenerationRules({ store, registry }, projections);
    return true;
  };

  // One catch-up at a time per process: emit, reads and `run` may overlap in the HTTP server. `cut`: stopped by close().
  let running: Promise<{ report: CatchUpReport; cut: boolean }> | undefined;
  const catchUp = (): Promise<{ report: CatchUpReport; cut: boolean }> => {
    running ??= (async () => {
      try {
        const deadBefore = localDispatcher.stats.deadLettered;
        const indexed = await indexer.catchUp();
        firstFoldRecorded ||= await recordFirstFold();
        const drained = indexed.stopped ? undefined : await tail.drain();
        if (drained) stallRecord.follow(tail.stall);
        const stalled = drained?.stalled ? { dispatchStalled: drained.stalled } : {};
        const report = { indexed: indexed.indexed, dispatched: drained?.published ?? 0, deadLettered: localDispatcher.stats.deadLettered - deadBefore, ...stalled };
        return { report, cut: indexed.stopped === true || drained?.stopped === true };
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  // After close() every public call refuses with ClosedError; the parts inside (the lake's ports, indexer, tail,
  // dispatcher) stay unguarded, so a call or catch-up running when close() is called finishes before the databases close.
  let closingDone: Promise<void> | undefined;
  const closed = new CloseGate(() => new ClosedError(`the local eventlake on ${layout.root}`, `open it again with openLocalEventlake({ dataDir: '${layout.root}' })`));
  const pub = { log: guardClosed(log, closed), index: guardClosed(index, closed), store: guardClosed(store, closed) };
  const guardedCheckpoints = guardClosed(checkpoints, closed);
  const lake = guardClosed(new Eventlake({
    registry, log, index, store, projections: names,
    // A full disk stalling dispatch is told like any catch-up failure; reads then answer from what is applied.
    afterAppend: async () => { const { dispatchStalled } = (await catchUp()).report; if (dispatchStalled) throw dispatchStalled; },
    onAfterAppendError: options.onCatchUpError ?? reportCatchUpError,
    // A read whose catch-up close() cut short would answer without events stored before it: refused instead.
    catchUp: async () => { if ((await catchUp()).cut) throw closed.error(); },
  }), closed, { pure: ['prepare'] });
  return {
    target: 'local',
    dataDir: layout.root,
    registry,
    ...pub,
    snapshots: guardClosed(snapshots, closed),
    archive: guardClosed(archive, closed),
    checkpoints: guardedCheckpoints,
    deadLetters: guardClosed(deadLetters, closed),
    projections,
    lake,
    upcast: registry.upcast,
    now,
    catchUp: guardClosedFn(async () => (await catchUp()).report, closed),
    catchUpIndex: guardClosedFn(async () => ({ indexed: (await indexer.catchUp()).indexed }), closed),
    redriveDeadLetters: guardClosedFn((target?: string) => localDispatcher.redrive(target), closed),
    dispatchedPosition: guardClosedFn(() => checkpoints.get('dispatch'), closed),
    dispatchStall: () => tail.stall ?? stallRecord.read(),
    close() {
      closingDone ??= (async () => {
        const settled = closed.close();
        closing.abort();
        await settled;
        await running?.catch(() => undefined);
        // A rebuild or archive run holding a lease here cannot go on: kept, it refused the next run until it expired.
        await releaseLeasesIn(guardedCheckpoints, checkpoints);
        // The log's close (its checkpoint) fails on a full disk: the databases are closed all the same, then it is told.
        const failed = await fsLog.close().then(() => undefined, (error: unknown) => ({ error }));
        for (const c of [sqliteIndex, sqliteStore, checkpointStore, deadLetterStore, fsArchive, stallRecord] as { close?: () => unknown }[]) await c.close?.();
        if (failed) throw failed.error;
      })();
      return closingDone;
    },
  };
}

function reportCatchUpError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`eventlake: events stored; indexing or dispatching them failed and is retried on the next emit or read: ${message}\n`);
}
