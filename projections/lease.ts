// Named leases: at most one holder of a name at a time, across processes and Lambda invocations, taken and renewed by
// compare-and-set on the CheckpointStore, and expiring on their own when their holder dies. Rebuilds hold one per
// projection (rebuild/rebuild-lease.ts); archive runs one per data dir or stack (archive-lease.ts).
//
// Why a lease and not a lock: a run killed mid-way (SIGKILL, a Lambda timeout) never releases anything, and the next
// run must be able to go on. So the lease says until when it holds; its holder pushes that forward as it makes
// progress, and anyone may take a lease whose time has passed. Where the store knows its holders' liveness (a local
// data dir: the kernel frees a dead process's locks), a dead holder's lease is taken over at once (lease-take.ts).

import { TransientError } from '../domain/errors.ts';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';
import type { HolderMark } from '../domain/ports/lease-liveness.ts';
import { forget, remember } from './lease-registry.ts';
import { leaseExpiry, leaseValue, takeLease } from './lease-take.ts';

export { leaseExpiry, leaseTag, leaseValue } from './lease-take.ts';
export { releaseHeldLeases, releaseLeasesIn } from './lease-registry.ts';

/** How long a lease holds without renewal: a crashed holder blocks the next run for at most this long. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

/** What a run does while it holds a lease. */
export interface HeldLease {
  /** Push the expiry forward if a third of the lease has passed; throws the lease's "held" error if it was lost. */
  renewIfDue(): Promise<void>;
  /** Sleeps in steps short enough to renew the lease between them (restore waits last hours). */
  sleep(ms: number): Promise<void>;
  /**
   * Run `work`, one long call that cannot renew between its steps (a snapshot restore: DynamoDB PITR waits up to 10
   * minutes), renewing on a timer meanwhile; throws the lease's "held" error after it if the lease was lost during it.
   */
  during<T>(work: () => Promise<T>): Promise<T>;
  /** Free the lease unless another holder took it over. Never throws: a lease not released expires on its own. */
  release(): Promise<void>;
}

export interface LeaseClock {
  readonly ttlMs?: number;
  /**
   * Epoch ms its holder cannot outlive (a Lambda invocation's timeout): no expiry is written past it. Why: a holder
   * killed there never releases, and the run that follows at once (Lambda's retry of the timed-out invocation, a
   * minute later) would otherwise find the lease held for minutes more and skip the work it was retried to do.
   */
  readonly notAfter?: number;
  /** Wall clock, epoch ms (default Date.now). */
  readonly now?: () => number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The error a lease throws when another holder has it: `expiresAt` (epoch ms) is when that holder's lease runs out;
 * `lost` when this holder stalled past its own lease and found another one holding it.
 */
export type LeaseHeldError = (expiresAt: number, ttlMs: number, lost: boolean) => Error;

const defaultSleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** A lease that locks nothing: for callers given no CheckpointStore (in-memory tests, one-off tools). */
export function unlockedLease(sleep: (ms: number) => Promise<void> = defaultSleep): HeldLease {
  return { renewIfDue: async () => {}, sleep, during: (work) => work(), release: async () => {} };
}

/**
 * A named lease in a CheckpointStore.
 *
 * @example
 * const lease = await Lease.acquire(checkpoints, 'archive:lease', (until) => new Error(`held until ${until}`));
 * try { await lease.renewIfDue(); } finally { await lease.release(); }
 */
export class Lease implements HeldLease {
  private renewedAt: number;
  /** A renewal not answered yet, or failed transiently: its write may have landed nonetheless. */
  private unconfirmed: number | undefined;
  /** The renewal in flight: concurrent work (hours compacted at once) shares it instead of racing its own. */
  private renewal: Promise<void> | undefined;

  private constructor(
    private readonly store: CheckpointStore,
    readonly name: string,
    private readonly held: LeaseHeldError,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly tag: number,
    private readonly wait: (ms: number) => Promise<void>,
    private readonly notAfter: number,
    /** The value this holder last wrote: its compare-and-sets expect it. */
    private value: number,
    /** This holder's liveness mark (a store with liveness): kept until the lease is released. */
    private readonly mark: HolderMark | undefined,
  ) {
    this.renewedAt = now();
  }

  /** Take the lease `name` if it is free, expired or its holder is dead; otherwise throw `held(expiry, ttl, false)`. */
  static async acquire(store: CheckpointStore, name: string, held: LeaseHeldError, clock: LeaseClock = {}): Promise<Lease> {
    const ttlMs = clock.ttlMs ?? DEFAULT_LEASE_MS;
    const now = clock.now ?? Date.now;
    const notAfter = clock.notAfter ?? Infinity;
    const taken = await takeLease(store, name, { ttlMs, now, notAfter, random: clock.random ?? Math.random });
    if ('held' in taken) throw held(leaseExpiry(taken.held), ttlMs, false);
    const lease = new Lease(store, name, held, ttlMs, now, taken.tag, clock.sleep ?? defaultSleep, notAfter, taken.value, taken.mark);
    remember(lease);
    return lease;
  }

  renewIfDue(): Promise<void> {
    this.renewal ??= this.renew().finally(() => { this.renewal = undefined; });
    return this.renewal;
  }

  private async renew(): Promise<void> {
    if (this.now() - this.renewedAt < this.ttlMs / 3) return;
    const at = this.now();
    const next = leaseValue(Math.min(at + this.ttlMs, this.notAfter), this.tag);
    if (next === this.value) return;
    const failed = this.unconfirmed;
    // Until it answers, the write may have landed: a release meanwhile (Ctrl-C) must free `next` too.
    this.unconfirmed = next;
    let swapped: boolean;
    try {
      swapped = await this.store.compareAndSet(this.name, this.value, next);
    } catch (error) {
      // The lease stays ours until it expires: a passing failure with a third of it left is tried again next step
      // (stopping would lose hours of work to one throttled call). The write may have landed all the same.
      if (!(error instanceof TransientError) || leaseExpiry(this.value) - at < this.ttlMs / 3) throw error;
      return;
    }
    if (!swapped) {
      // Our tag is ours while we hold the lease (a taker draws another), so finding `next`, or a renewal of ours that
      // failed, there means our write landed and only its answer was lost (a retried timeout): the lease is ours.
      const holder = await this.store.get(this.name);
      const ours = holder === next || (holder === failed && (await this.store.compareAndSet(this.name, holder, next)));
      if (!ours) throw this.held(leaseExpiry(holder), this.ttlMs, true);
    }
    this.value = next;
    this.renewedAt = at;
    this.unconfirmed = undefined;
  }

  async sleep(ms: number): Promise<void> {
    const step = Math.max(1, Math.floor(this.ttlMs / 3));
    for (let left = ms; left > 0; left -= step) {
      await this.wait(Math.min(left, step));
      await this.renewIfDue();
    }
  }

  async during<T>(work: () => Promise<T>): Promise<T> {
    // A quarter of the TTL, so a tick that finds the renewal not quite due still leaves the next one in time.
    let beats: Promise<void> = Promise.resolve();
    let lost: unknown;
    const timer = setInterval(() => {
      beats = beats.then(() => this.renewIfDue()).catch((error: unknown) => { lost ??= error; });
    }, Math.max(1, Math.floor(this.ttlMs / 4)));
    // A timer only for this call: it must not keep a finished CLI alive.
    timer.unref();
    let result: T;
    try {
      result = await work();
    } finally {
      clearInterval(timer);
      await beats;
    }
    if (lost !== undefined) throw lost;
    return result;
  }

  /** Whether this lease was taken in `store`. */
  heldIn(store: CheckpointStore): boolean {
    return this.store === store;
  }

  /**
   * `via`: the same store reached another way (releaseLeasesIn). A release that fails (a closed runtime's guard refuses
   * it, the store is down) leaves the lease known to this process, so close() or a signal handler can still free it
   * through another path, and its mark given up: where marks are kept a taker takes the lease over at once (elsewhere
   * it expires).
   */
  async release(via: CheckpointStore = this.store): Promise<void> {
    // A renewal in flight (Ctrl-C comes at any time) may land before this and answer during it, moving its value from
    // `unconfirmed` to `value`: whichever field holds it when the first attempt fails, that value is freed too.
    const tried = new Set<number>();
    const untried = () => [this.value, this.unconfirmed].find((v) => v !== undefined && !tried.has(v));
    try {
      for (let v = untried(); v !== undefined; v = untried()) {
        tried.add(v);
        if (await via.compareAndSet(this.name, v, 0)) break;
      }
    } catch {
      await this.mark?.release(true).catch(() => undefined);
      return;
    }
    // Freed, or no longer ours (taken over after it expired): only now may a taker find our mark gone.
    forget(this);
    await this.mark?.release(false).catch(() => undefined);
  }
}
