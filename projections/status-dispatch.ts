// Whether dispatch is blocked or waits on an archived object, found without changing anything: a dry run of the next
// drain's first batch.

import { eventId, type DomainEvent } from '../domain/event.ts';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';
import type { Dispatcher } from '../domain/ports/dispatcher.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import { DispatchBlockedError } from '../domain/projection-errors.ts';
import { StorageFullError } from '../domain/errors.ts';
import type { StallRecorder } from './dispatch-stall.ts';
import { DispatchTail } from './dispatch-tail.ts';
import type { EventlakeRuntime } from './runtime.ts';
import { archivedCause, dispatchWaiting, type DispatchWaiting } from './status-dispatch-waiting.ts';

/**
 * The event no dispatch gets past until an operator fixes the schemas or upcasters: every read fails with
 * `DISPATCH_BLOCKED` (`message`, which names the fix) until then.
 */
export interface DispatchBlock {
  readonly code: 'DISPATCH_BLOCKED';
  readonly position: number;
  readonly eventId: string;
  /** As stored: the version the upcasters could not lift. */
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly message: string;
  /** What the registry threw (`UPCAST_FAILED`, or the stored version's schema missing). */
  readonly cause: { readonly code: string; readonly message: string };
}

/** What the next drain would stop at: an event the registry refuses, or an archived object it cannot read. */
export interface DispatchProbe {
  readonly blocked?: DispatchBlock;
  readonly waiting?: DispatchWaiting;
}

/**
 * The block the next drain would stop at, if any, or the archived object it would wait on: found by reading the
 * undispatched events after `dispatchedPosition` (its first batch, as the drain does) and upcasting them; nothing is
 * published and no checkpoint moves. Callers skip it when nothing is undispatched, the usual state, so a load
 * balancer's health poll pays for it only during a lag.
 *
 * Why a dry run, not a marker a failed drain records: a marker would be a write that status and health must trust
 * after a fix (an upcaster changed, a restart with other `--extensions`), while the dry run runs the registry this
 * process has now, through the drain's own read and upcast code, so its answer and `DispatchBlockedError`'s message
 * are the drain's. Why its first batch is enough: every drain checkpoints the events before a refused one, so once any
 * drain or read has met the block it is the first undispatched event.
 *
 * An archived object is no block (a restore ends the wait, and dispatch goes on by itself): it is `waiting`, found by
 * the same dry run, whose read fails with the drain's own EVENT_ARCHIVED. `objects`: the index's, when the caller
 * has them (see dispatchWaiting). Any other failure of the read is thrown.
 *
 * @example
 * const { blocked, waiting } = await probeDispatch(runtime, await runtime.dispatchedPosition()); // {}, or { blocked: { position: 4, ... } }
 */
export async function probeDispatch(
  runtime: Pick<EventlakeRuntime, 'index' | 'log' | 'upcast' | 'archive'>, dispatchedPosition: number, objects?: Parameters<typeof dispatchWaiting>[3],
): Promise<DispatchProbe> {
  let last: DomainEvent | undefined;
  const tail = new DispatchTail({
    index: runtime.index, log: runtime.log, dispatcher: NOTHING_PUBLISHED, checkpoints: readOnlyCheckpoint(dispatchedPosition),
    // The drain upcasts in position order and stops at the first refusal: the last event handed over is the refused one.
    upcast: (event) => runtime.upcast((last = event)),
    // One attempt, one batch: a probe that retried with backoff would hold a health poll for seconds.
    maxAttempts: 1, stop: () => true,
  });
  try {
    await tail.drain();
    return {};
  } catch (error) {
    const archived = archivedCause(error);
    const waiting = archived ? await dispatchWaiting(runtime, archived, dispatchedPosition, objects) : undefined;
    if (waiting) return { waiting };
    if (!(error instanceof DispatchBlockedError) || last === undefined) throw error;
    const { reason } = error;
    return {
      blocked: {
        code: error.code, position: error.position, eventId: error.eventId, eventType: last.EventType, schemaVersion: last.SchemaVersion,
        message: error.message, cause: { code: reason.code, message: reason.message },
      },
    };
  }
}

/** Dispatch held back by a full or failing disk, or a store it cannot use, as `status` and `GET /health` show it. */
export interface DispatchStalled {
  /** STORAGE_FULL: a full or failing disk; STORAGE_FAILED: a store failing whatever the event (read-only, damaged). */
  readonly code: 'STORAGE_FULL' | 'STORAGE_FAILED';
  /** The file or folder on the disk that failed (STORAGE_FULL only: a STORAGE_FAILED message names the store). */
  readonly where?: string;
  /** The error's message: what failed, where, and the fix (free space, or fix the store; dispatch then resumes by itself). */
  readonly message: string;
  /** The dispatch checkpoint it stalled at (epoch ms `since` the first stall in a row; tried again from `retryAt`). */
  readonly position: number;
  readonly since: number;
  readonly retryAt: number;
  /** Present when another process met the stall (see DispatchStall.recordedBy): its pid, host, last try, and whether it runs. */
  readonly recordedBy?: StallRecorder;
}

/**
 * The runtime's dispatch stall, if its last catch-up met a full disk, else the one another process recorded in the
 * data dir (locally; see `dispatchStall`). Why no probe: finding out means writing to the full disk. A recorded stall
 * is left out once nothing is `behind`: some process dispatched everything since, so the record outlived the stall
 * (its writer stopped, or could not clear it).
 *
 * @example
 * dispatchStalled(local, 300); // undefined, or { code: 'STORAGE_FULL', where: '/data/projections.db', message: '…', ... }
 */
export function dispatchStalled(runtime: Pick<EventlakeRuntime, 'dispatchStall'>, behind: number): DispatchStalled | undefined {
  const stall = runtime.dispatchStall?.();
  if (stall === undefined || (stall.recordedBy !== undefined && behind === 0)) return undefined;
  const { error, position, since, retryAt, recordedBy } = stall;
  const where = error instanceof StorageFullError ? { where: error.where } : {};
  return { code: error.code, ...where, message: error.message, position, since, retryAt, ...(recordedBy ? { recordedBy } : {}) };
}

/** An index that counts the events between two positions itself (SqliteEventIndex: a count over a rowid range). */
interface CountsBetweenPositions {
  countBetweenPositions(after: number, upTo: number): Promise<number>;
}

const PAGE = 1_000;

/**
 * How many indexed events are not dispatched: those with a position in (`dispatchedPosition`, `lastPosition`].
 * Counted, never `lastPosition - dispatchedPosition`: positions skip numbers (local: an ignored re-put by a second
 * indexer burns one), so the difference overstates the lag and can stay above 0 once every event is dispatched.
 * Free when caught up (no read at all), which is the usual state of a /health poll.
 *
 * @example
 * const behind = await undispatchedEvents(runtime.index, await runtime.dispatchedPosition(), await runtime.index.lastPosition());
 */
export async function undispatchedEvents(index: Pick<EventIndex, 'afterPosition'>, dispatchedPosition: number, lastPosition: number): Promise<number> {
  if (lastPosition <= dispatchedPosition) return 0;
  const counting = index as Partial<CountsBetweenPositions>;
  if (typeof counting.countBetweenPositions === 'function') return counting.countBetweenPositions(dispatchedPosition, lastPosition);
  let n = 0;
  for (let after = dispatchedPosition; ;) {
    const { entries, next } = await index.afterPosition(after, PAGE);
    n += entries.filter((e) => e.position <= lastPosition).length;
    if (entries.length < PAGE || next >= lastPosition || next === after) return n;
    after = next;
  }
}

/** Answers every event published and publishes none: the dry run only wants to know what reading them finds. */
const NOTHING_PUBLISHED: Dispatcher = {
  publish: async (events) => events.map((e) => ({ id: eventId(e), status: 'published' })),
};

/** The dispatch checkpoint as read, and a `set` that moves only this copy. */
function readOnlyCheckpoint(position: number): CheckpointStore {
  let at = position;
  return {
    get: async () => at,
    set: async (_name, next) => { at = next; },
    compareAndSet: async (_name, expected, next) => (expected === at ? ((at = next), true) : false),
  };
}

