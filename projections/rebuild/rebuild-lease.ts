// The rebuild lease: at most one rebuild of a projection at a time, across processes and Lambda invocations, taken
// and renewed by compare-and-set on the CheckpointStore, and expiring on its own when its holder dies.
//
// Why a lease and not a lock: a rebuild killed mid-way (SIGKILL, a Lambda timeout) never releases anything, and the
// next rebuild must be able to resume its generation. So the lease says until when it holds; its holder pushes that
// forward as it makes progress, and anyone may take a lease whose time has passed.

import { TransientError } from '../../domain/errors.ts';
import { RebuildInProgressError } from '../../domain/projection-errors.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import type { RebuildDeps } from './deps.ts';
import { defaultSleep } from './deps.ts';

/** How long a lease holds without renewal: a crashed holder blocks the next rebuild for at most this long. */
export const DEFAULT_REBUILD_LEASE_MS = 5 * 60_000;

/**
 * Why the holder tag lives in the low digits: a value is one integer (what the port stores), it must stay a safe
 * integer (expiry * 1000 + 999 is, until the year 2255), and two holders must never write the same value, or a
 * stale holder's compare-and-set would succeed against its successor's lease.
 */
const TAGS = 1000;

/** The CheckpointStore name of a projection's rebuild lease (0: free). */
export function rebuildLeaseName(projection: string): string {
  return `rebuild:lease:${projection}`;
}

/** A lease value: when it expires (epoch ms) and its holder's tag (1..999). */
export function leaseValue(expiresAt: number, tag: number): number {
  return expiresAt * TAGS + tag;
}

/** When the lease of that value expires, epoch ms (0 for a free lease). */
export function leaseExpiry(value: number): number {
  return Math.floor(value / TAGS);
}

/** A tag that differs from the one in `current`, so the value written differs from every value seen before. */
function freshTag(current: number, random: () => number): number {
  const taken = current % TAGS;
  const tag = 1 + Math.floor(random() * (TAGS - 1));
  return tag === taken ? (tag % (TAGS - 1)) + 1 : tag;
}

/** What a rebuild does while it holds its projection's lease. */
export interface HeldLease {
  /** Push the expiry forward if a third of the lease has passed; throws `RebuildInProgressError` if it was lost. */
  renewIfDue(): Promise<void>;
  /** Sleeps in steps short enough to renew the lease between them (restore waits last hours). */
  sleep(ms: number): Promise<void>;
  /**
   * Run `work`, one long call that cannot renew between its steps (a snapshot restore: DynamoDB PITR waits up to 10
   * minutes), renewing on a timer meanwhile; throws `RebuildInProgressError` after it if the lease was lost during it.
   */
  during<T>(work: () => Promise<T>): Promise<T>;
  /** Free the lease unless another holder took it over. Never throws: a lease not released expires on its own. */
  release(): Promise<void>;
}

export interface LeaseClock {
  readonly ttlMs?: number;
  /** Wall clock, epoch ms (default Date.now). */
  readonly now?: () => number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Leases this process holds now, so a signal handler can free them before the process exits (`releaseHeldRebuildLeases`). */
const HELD = new Set<RebuildLease>();

/**
 * Free every rebuild lease this process holds. For a CLI's SIGINT/SIGTERM handler: an interrupted rebuild keeps its
 * generation (the next run resumes it), and without this its lease would block that run until it expired.
 */
export async function releaseHeldRebuildLeases(): Promise<void> {
  await Promise.all([...HELD].map((lease) => lease.release()));
}

/**
 * A projection's rebuild lease in a CheckpointStore.
 *
 * @example
 * const lease = await RebuildLease.acquire(checkpoints, 'balances'); // RebuildInProgressError while another holds it
 * try { await lease.renewIfDue(); } finally { await lease.release(); }
 */
export class RebuildLease implements HeldLease {
  private renewedAt: number;
  /** A renewal not answered yet, or failed transiently: its write may have landed nonetheless. */
  private unconfirmed: number | undefined;

  private constructor(
    private readonly store: CheckpointStore,
    readonly projection: string,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly tag: number,
    private readonly wait: (ms: number) => Promise<void>,
    /** The value this holder last wrote: its compare-and-sets expect it. */
    private value: number,
  ) {
    this.renewedAt = now();
  }

  /** Take the lease if it is free or expired; otherwise throw `RebuildInProgressError` naming when it expires. */
  static async acquire(store: CheckpointStore, projection: string, clock: LeaseClock = {}): Promise<RebuildLease> {
    const ttlMs = clock.ttlMs ?? DEFAULT_REBUILD_LEASE_MS;
    const now = clock.now ?? Date.now;
    const name = rebuildLeaseName(projection);
    // A lost compare-and-set means someone wrote the lease between our read and write: read again, and it most
    // likely holds now. Bounded, because a lease released and taken over and over is held, in effect.
    let current = 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      current = await store.get(name);
      if (current !== 0 && leaseExpiry(current) > now()) break;
      const tag = freshTag(current, clock.random ?? Math.random);
      const value = leaseValue(now() + ttlMs, tag);
      if (await store.compareAndSet(name, current, value)) {
        const lease = new RebuildLease(store, projection, ttlMs, now, tag, clock.sleep ?? defaultSleep, value);
        HELD.add(lease);
        return lease;
      }
    }
    throw new RebuildInProgressError(projection, leaseExpiry(current), ttlMs);
  }

  async renewIfDue(): Promise<void> {
    if (this.now() - this.renewedAt < this.ttlMs / 3) return;
    const at = this.now();
    const name = rebuildLeaseName(this.projection);
    const next = leaseValue(at + this.ttlMs, this.tag);
    if (next === this.value) return;
    const failed = this.unconfirmed;
    // Until it answers, the write may have landed: a release meanwhile (Ctrl-C) must free `next` too.
    this.unconfirmed = next;
    let swapped: boolean;
    try {
      swapped = await this.store.compareAndSet(name, this.value, next);
    } catch (error) {
      // The lease stays ours until it expires: a passing failure with a third of it left is tried again next batch
      // (stopping would lose hours of a rebuild to one throttled call). The write may have landed all the same.
      if (!(error instanceof TransientError) || leaseExpiry(this.value) - at < this.ttlMs / 3) throw error;
      return;
    }
    if (!swapped) {
      // Our tag is ours while we hold the lease (a taker draws another), so finding `next`, or a renewal of ours that
      // failed, there means our write landed and only its answer was lost (a retried timeout): the lease is ours.
      const holder = await this.store.get(name);
      const ours = holder === next || (holder === failed && (await this.store.compareAndSet(name, holder, next)));
      if (!ours) throw new RebuildInProgressError(this.projection, leaseExpiry(holder), this.ttlMs, true);
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

  async release(): Promise<void> {
    HELD.delete(this);
    const name = rebuildLeaseName(this.projection);
    try {
      if (!(await this.store.compareAndSet(name, this.value, 0)) && this.unconfirmed !== undefined) await this.store.compareAndSet(name, this.unconfirmed, 0);
    } catch {
      // Nothing to do: the lease expires after its TTL, and the rebuild's own outcome is what the caller needs.
    }
  }
}

/**
 * The lease a rebuild of `projection` runs under: taken in `deps.checkpoints`, with `deps.leaseClock`,
 * `deps.leaseTtlMs` and `deps.sleep`. Without a checkpoint store nothing is locked: the lease is a no-op.
 */
export async function takeRebuildLease(deps: Pick<RebuildDeps, 'checkpoints' | 'leaseClock' | 'leaseTtlMs' | 'sleep'>, projection: string): Promise<HeldLease> {
  const sleep = deps.sleep ?? defaultSleep;
  if (!deps.checkpoints) return { renewIfDue: async () => {}, sleep, during: (work) => work(), release: async () => {} };
  return RebuildLease.acquire(deps.checkpoints, projection, {
    sleep, ...(deps.leaseClock ? { now: deps.leaseClock } : {}), ...(deps.leaseTtlMs !== undefined ? { ttlMs: deps.leaseTtlMs } : {}),
  });
}
