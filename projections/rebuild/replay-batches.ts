// How a replay sizes its batches and writes them: applied and checkpointed one batch at a time, or staged and committed
// with the checkpoint (a store's StagedReplayWriter).

import type { DomainEvent, JsonObject } from '../../domain/event.ts';
import type { ApplyOutcome, ProjectionStore, StagedReplayWriter } from '../../domain/ports/projection-store.ts';
import type { Projection } from '../../domain/projection.ts';

/** First batch size when the caller does not fix one; batches then grow while they stay short (see `nextBatchSize`). */
export const DEFAULT_REPLAY_BATCH = 500;
/** Largest batch the adaptive sizing reaches. */
export const MAX_REPLAY_BATCH = 65_536;
/** A batch that took less than this grows (doubles) for the next one. */
export const QUICK_BATCH_MS = 1_000;

/** First batch size of a staged replay (StagedReplayWriter), which reads and stages a batch STAGED_CHUNK events at a time. */
export const DEFAULT_STAGED_BATCH = 65_536;
/**
 * Largest batch a staged replay's sizing reaches: ≈ 30-40 MB of staged decisions (a key, and a memo where there is one,
 * per event) and a commit of ≈ 2 s at 1M keys. Twice as many wrote ≈ 40 % fewer bytes but gained no time within the
 * noise, and held the lock twice as long.
 */
export const MAX_STAGED_BATCH = 262_144;
/**
 * Events read, parsed and staged at once within a staged batch: what a replay holds as parsed events. Why this small:
 * parsed events that die before the next scavenge are never copied; at 300k events, chunks of 4k replayed ≈ 5-10 %
 * faster than chunks of 16k and peaked ≈ 100 MiB lower (1k: slower again, each chunk's queries add up).
 */
export const STAGED_CHUNK = 4_096;
/** A staged batch whose commit (its encoding, then the write lock's hold) took less than this grows (doubles) for the next one. */
export const QUICK_FLUSH_MS = 2_000;

/**
 * Events the next staged batch takes when `left` events of the pass are left: its size, or all of them when they are
 * at most half a batch more. Why: a commit of random keys rewrites nearly every page of the key tree it lands on,
 * however few keys it brings (bench/README.md), so a short last batch cost a whole rewrite for a few keys (at 1M
 * events, 0.7 s for the last 17k). Half a batch bounds what the last batch adds to the staged memory and the lock's hold.
 */
export function stagedBatchTarget(size: number, left: number): number {
  return left <= size * 1.5 ? Math.max(1, left) : size;
}

/**
 * Why a staged batch grows on its commit's time: the commit is the only part that holds the store's write lock (other
 * processes' applies wait for it), and fewer, larger commits are what a store of random keys wants. At 1M events,
 * committing every 256k events instead of every 64k wrote ≈ 3.4× fewer bytes and applied ≈ 30 % faster
 * (bench/README.md).
 */
export function nextStagedBatchSize(current: number, flushMs: number): number {
  return flushMs < QUICK_FLUSH_MS ? Math.min(current * 2, MAX_STAGED_BATCH) : current;
}

/**
 * Why adaptive: every batch costs a commit (an fsync) and a checkpoint write, so fast stores (SQLite) want batches of
 * 10k+, while a slow store (DynamoDB from a Lambda) must checkpoint often enough that a timeout loses little work.
 * Starting small and doubling while a batch takes under QUICK_BATCH_MS serves both, without asking the store.
 *
 * Why up to 64k and a second: idempotency keys are random (RequestIds are UUIDs), so once a generation holds a million
 * of them a batch of 16k sorted keys lands on most leaf pages of SQLite's key B-tree and its commit rewrites nearly the
 * whole tree. Four times the keys per commit cost about the same rewrite: a 1M-event rebuild replayed in 23 s instead
 * of 35 s (bench/README.md). The price is memory, about 80 MB more for a batch of parsed events.
 */
export function nextBatchSize(current: number, ms: number): number {
  return ms < QUICK_BATCH_MS ? Math.min(current * 2, MAX_REPLAY_BATCH) : current;
}

/** How a replay writes its batches: applied as they come and checkpointed, or staged and committed with the checkpoint. */
export interface BatchWriter {
  /** Whether `stage` only stages (a batch is then read and staged a chunk at a time). */
  readonly grouped: boolean;
  stage(events: readonly DomainEvent[]): Promise<ApplyOutcome[]>;
  /** Make what was staged durable with the checkpoint. */
  flush(checkpoint: JsonObject): Promise<void>;
}

/** Each batch applied with `apply` (its own transaction), then the checkpoint written. */
export function applyingWriter(store: ProjectionStore, projection: Projection, generation: number): BatchWriter {
  return {
    grouped: false,
    stage: (events) => store.apply(projection, generation, events, { replay: true }),
    flush: (checkpoint) => store.setCheckpoint(projection.name, generation, checkpoint),
  };
}

/** Each batch staged a chunk at a time and committed with the checkpoint. */
export function groupedWriter(staged: StagedReplayWriter): BatchWriter {
  return { grouped: true, stage: (events) => staged.stage(events), flush: (checkpoint) => staged.flush(checkpoint) };
}
