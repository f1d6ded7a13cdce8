// Port: whether the holder of a lease is still alive, for runtimes that can know it (one kernel under one data dir).
//
// Why a port of its own and optional: a lease (projections/lease.ts) otherwise learns that its holder died only when
// its time runs out (5 minutes), and an operator who kill -9's a stuck rebuild and runs it again is refused until then.
// Locally the kernel knows: a lock the holder keeps dies with its process. On AWS there is no shared kernel between
// Lambda invocations, and no runtime provides this port: expiry stays the only signal there.

/** A mark held while its holder lives: freed by `release()`, or by the kernel when the holder's process dies. */
export interface HolderMark {
  /**
   * `stillNamed`: the holder could not free its lease (the write failed), so the mark is left dead rather than
   * deleted, and the next taker takes the lease over at once instead of waiting for its expiry.
   */
  release(stillNamed?: boolean): Promise<void>;
}

/** A holder found dead: its mark is kept from every new holder until `release` (so nobody draws its tag meanwhile). */
export interface DeadHolder {
  /** `takenOver`: the lease no longer names the dead holder, so its leftover mark is deleted too. */
  release(takenOver: boolean): Promise<void>;
}

/**
 * Liveness of the holders of named leases, each holder known by the lease's name and its holder tag.
 *
 * The rule a taker relies on: a holder marks itself (`mark`) before it writes a lease value with its tag, and keeps the
 * mark until it has released that lease. So a lease value whose holder is `dead` was written by a process that has
 * died (or gave up, releasing its mark), and the taker may take it over at once by compare-and-set from that value.
 *
 * @example
 * const mark = await liveness.mark('rebuild:lease:balances', 17); // undefined: a live holder marks tag 17 already
 * const dead = await liveness.dead('rebuild:lease:balances', 42); // undefined: alive, or unknown here
 */
export interface LeaseLiveness {
  /** Mark holder `tag` of lease `name` alive until `release()` or its process dies; undefined when a live process marks it. */
  mark(name: string, tag: number): Promise<HolderMark | undefined>;
  /**
   * Holder `tag` of lease `name` when it was marked here and no live process marks it now; undefined when it may be
   * alive, or was never marked here (another host, a version without marks): the lease then waits for its expiry.
   */
  dead(name: string, tag: number): Promise<DeadHolder | undefined>;
}
