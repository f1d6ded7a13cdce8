// How many events each page of a dispatch drain takes: small while dispatch keeps up, larger through a backlog.

import { nextBatchSize } from './rebuild/replay.ts';

/**
 * Default events of a drain's first batch. Why 2,000 and not 500: each batch costs two commits (the projection's apply,
 * the checkpoint), one index page and a read of every object it cuts; on a backlog of 100k events 2,000 dispatched
 * ≈ 1.3-1.8× faster than 500 (bench/README.md). A crash re-delivers at most one batch, which the idempotency keys absorb.
 */
export const DISPATCH_BATCH = 2_000;

/** A batch that took this long or longer halves the next one (not below the first size). */
export const SLOW_DISPATCH_BATCH_MS = 4_000;

/**
 * The page sizes of one drain: a fixed `batchSize` when one is given, else DISPATCH_BATCH doubling after every batch
 * that took under a second, as a replay's do (`nextBatchSize`, up to 65,536), and halving after a slow one. Why grow: a commit of random idempotency
 * keys rewrites nearly one B-tree page per event once a projection holds more than a few batches, so a first dispatch
 * of a large log in batches of 2,000 wrote ≈ 27 KB per event at 100k events and ≈ 42 KB at 200k (balances and
 * statement), and its rate fell with the log's size; in batches grown to 64k it wrote 8-10× less. Why only while
 * quick, and halved after a batch of SLOW_DISPATCH_BATCH_MS: close() waits for the batch in flight, and a batch's cost
 * per event grows with the projections' size (a 16k batch took 1 s at 20k events, 3.7 s at 90k).
 *
 * @example
 * const sizes = new DrainBatchSizes({});
 * const page = await index.afterPosition(position, sizes.next()); // 2,000, then 4,000, ... while each is quick
 * sizes.done();
 */
export class DrainBatchSizes {
  private size: number;
  private started = 0;

  constructor(private readonly options: { readonly batchSize?: number; readonly now?: () => number }) {
    this.size = options.batchSize ?? DISPATCH_BATCH;
  }

  /** The size of the next page; its batch is timed from here. */
  next(): number {
    this.started = this.now();
    return this.size;
  }

  /** The batch of the last `next()` is published and checkpointed. */
  done(): void {
    if (this.options.batchSize !== undefined) return;
    const ms = this.now() - this.started;
    this.size = ms >= SLOW_DISPATCH_BATCH_MS ? Math.max(DISPATCH_BATCH, this.size / 2) : nextBatchSize(this.size, ms);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
