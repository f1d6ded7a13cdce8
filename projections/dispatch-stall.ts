// The dispatch tail's memory of a full disk or a store it cannot use: when dispatch stalled, why, and when the next
// drain may try again.

import { StorageError, StorageFullError } from '../domain/errors.ts';

/**
 * What stalls dispatch: a full or failing disk (`StorageFullError`), or storage that fails whatever the event
 * (`StorageError`: a read-only or damaged projections.db, EACCES, too many open files). No retry within seconds helps
 * either before an operator acts, and neither is an event's fault.
 */
export type StallError = StorageFullError | StorageError;

/** Whether `error` stalls dispatch (see StallError). */
export const isStallError = (error: unknown): error is StallError => error instanceof StorageFullError || error instanceof StorageError;

/** Dispatch held back by a full or failing disk, or a store it cannot use: when it began, the error, and when a drain tries again. */
export interface DispatchStall {
  readonly error: StallError;
  /** Epoch ms of the first stall in a row. */
  readonly since: number;
  /** Epoch ms before which a drain does not try again. */
  readonly retryAt: number;
  /** Drains stalled in a row. */
  readonly attempts: number;
  /** The dispatch checkpoint it stalled at: everything up to it is dispatched, nothing after it applied twice. */
  readonly position: number;
  /**
   * Present when another process met the stall and this one read it from the data dir's record (locally: a `status`
   * run, which dispatches nothing, sees a serving process's stall so). Absent when this process's own dispatch stalled.
   */
  readonly recordedBy?: StallRecorder;
}

/** The process that recorded a stall, as the record names it. */
export interface StallRecorder {
  readonly pid: number;
  readonly host: string;
  /** Epoch ms of its last attempt that stalled: it rewrites the record at each (see StallBackoff for how often). */
  readonly triedAt: number;
  /** Whether that process still runs; undefined when it cannot be asked (another host). */
  readonly running: boolean | undefined;
}

/** Back-off between drains of a stalled tail: `baseMs * 2^(n-1)` after the n-th stall in a row, capped at `maxMs`. */
export interface StallBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * The current stall, if any. Why back off between drains rather than retry inside one: emits and reads wait for the
 * drain they start, and a drain that waited for space to come back held them (and close()) for as long as the disk
 * stayed full; one attempt per back-off also keeps a full disk from being hammered by every request.
 */
export class StallState {
  private current: DispatchStall | undefined;

  constructor(private readonly backoff: StallBackoff, private readonly now: () => number) {}

  get stall(): DispatchStall | undefined {
    return this.current;
  }

  /** The stall a drain starting now should answer at once, still backing off; undefined when it may try. */
  holding(): DispatchStall | undefined {
    return this.current && this.now() < this.current.retryAt ? this.current : undefined;
  }

  /** Record a stall at `position`, backing off longer while it stalls again there; returns `error`. */
  stalledAt(position: number, error: StallError): StallError {
    const before = this.current;
    const attempts = before && before.position === position ? before.attempts + 1 : 1;
    const now = this.now();
    const wait = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (attempts - 1));
    this.current = { error, since: before?.since ?? now, retryAt: now + wait, attempts, position };
    return error;
  }

  clear(): void {
    this.current = undefined;
  }
}
