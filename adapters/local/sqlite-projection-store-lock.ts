// How projections.db's applies wait for another process's write lock: in short steps with the event loop free, ended
// by close(), and within one budget for all the attempts of a dispatch (not one per attempt).

import type { Database as Db } from 'better-sqlite3';
import { isBusy, whenUnlocked, type LockWaitClock } from './sqlite-lock-wait.ts';

/** Default of `lockWaitMs`: as long as index.db's writes wait. */
const LOCK_WAIT_MS = 30_000;
/**
 * A lock met again within this long of the last wait in vain continues that wait's budget: longer than the dispatch
 * tail's backoff between attempts (at most 5 s), so its eight attempts share one budget.
 */
const SAME_WAIT_MS = 10_000;

/** How a SqliteProjectionStore waits for the lock. */
export interface StoreLockOptions {
  /** The longest wait for another process's write lock, over consecutive attempts. Default 30 s. */
  readonly lockWaitMs?: number;
  /** Aborted when the process closes: a waiting apply then fails at once (nothing written, a lock to the dispatcher). */
  readonly signal?: AbortSignal;
  readonly clock?: LockWaitClock;
}

/**
 * The lock waits of one projections.db connection. Why one budget over consecutive waits: the dispatch tail retries a
 * page it could not apply eight times, and eight full waits held one emit for minutes (with SQLite's own 5 s busy
 * wait, 50 s and the event loop blocked 5 s at a time); here the first attempt waits up to `lockWaitMs` and the
 * attempts after it, while the lock stays held, try once each.
 */
export class StoreLockWait {
  private readonly budgetMs: number;
  private streak: { since: number; last: number } | undefined;

  constructor(private readonly db: Db, private readonly options: StoreLockOptions = {}) {
    this.budgetMs = Math.max(0, Math.floor(options.lockWaitMs ?? LOCK_WAIT_MS));
  }

  /** `fn` (a write transaction, its errors mapped by the store's guard) tried while the lock is held. */
  async run<T>(fn: () => T): Promise<T> {
    const now = (this.options.clock?.now ?? Date.now)();
    const since = this.streak && now - this.streak.last <= SAME_WAIT_MS ? this.streak.since : now;
    const { signal, clock } = this.options;
    try {
      const out = await whenUnlocked(this.db, fn, {
        budgetMs: Math.max(0, this.budgetMs - (now - since)), what: "projections.db's write", stillLocked: (busy) => busy,
        ...(signal ? { signal } : {}), ...(clock ? { clock } : {}),
      });
      this.streak = undefined;
      return out;
    } catch (error) {
      if (isBusy(error)) this.streak = { since, last: (clock?.now ?? Date.now)() };
      throw error;
    }
  }
}
