// The dispatch tail: carries every indexed event to the dispatcher in position order, from a durable checkpoint.
// Dispatch is derived from the log, never a second write the emitter must remember: whatever was indexed is
// delivered by the next drain, even after a crash between append and dispatch.

import { EventlakeError, TransientError } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';
import type { Dispatcher } from '../domain/ports/dispatcher.ts';
import type { EventIndex, PositionPage } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import { DrainBatchSizes } from './dispatch-batch-size.ts';
import { readPage, type PageEvents } from './dispatch-page-read.ts';
import { isStallError, StallState, type DispatchStall, type StallBackoff, type StallError } from './dispatch-stall.ts';

export { DISPATCH_BATCH } from './dispatch-batch-size.ts';
export type { DispatchStall, StallError } from './dispatch-stall.ts';

export interface DispatchTailOptions {
  readonly index: EventIndex;
  readonly log: EventLog;
  readonly dispatcher: Dispatcher;
  readonly checkpoints: CheckpointStore;
  /** Name of the checkpoint (default `dispatch`). */
  readonly name?: string;
  /** Fixed events per batch; without it a drain starts at `DISPATCH_BATCH` and grows them through a backlog (`DrainBatchSizes`). */
  readonly batchSize?: number;
  /**
   * Applied to every event read from the log (e.g. upcasting old schema versions). Anything it throws but a
   * `TransientError` refuses the event: the drain stops before it with `DispatchBlockedError`.
   */
  readonly upcast?: (event: DomainEvent) => DomainEvent;
  /** Attempts per batch before `drain` gives up (default 8); none is spent on a refused or archived event (see publishPage). */
  readonly maxAttempts?: number;
  /** Exponential backoff between attempts: `baseMs * 2^(n-1)` capped at `maxMs`, jittered down by up to half. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Asked before each batch after the first: true ends the drain there, `stopped`, with everything before it published
   * and checkpointed (the next drain goes on from it). Why: a runtime's close() waits for the drain in flight, and one
   * tailing another process that appends faster than it dispatches never caught up, so close() never returned. Asked
   * too between the attempts of a batch the dispatcher failed (its published prefix checkpointed): retried up to
   * `maxAttempts` with backoff, it held close() for seconds.
   */
  readonly stop?: () => boolean;
  /**
   * Wait after a drain a full disk or a store it cannot use stalled (`StorageFullError`, `StorageError`) before the next drain tries again: `baseMs * 2^(n-1)`
   * after the n-th stall in a row, capped at `maxMs` (default 1 s to 30 s). Drains asked for meanwhile answer the stall
   * at once, without touching the stores.
   */
  readonly stallBackoff?: StallBackoff;
  /** Epoch ms, for the stall's times and to time batches (default `Date.now`). */
  readonly now?: () => number;
}

/** What one `drain` did. */
export interface DrainReport {
  /** Events published (delivered or dead-lettered by the dispatcher). */
  readonly published: number;
  readonly batches: number;
  /** Re-publishes of events whose outcome was `failed` (or whose batch could not be read). */
  readonly retries: number;
  /** The checkpoint after the drain. */
  readonly position: number;
  /** Present when `stop` ended the drain with indexed events left to publish. */
  readonly stopped?: true;
  /**
   * Present when a full or failing disk, or storage failing whatever the event (`StorageError`: a read-only or damaged
   * projections.db), stopped the drain (at its first failure, or at once while backing off, see `stallBackoff`): nothing
   * was dead-lettered, and a later drain resumes from `position` once space is freed or the store fixed.
   */
  readonly stalled?: StallError;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Tails the index into the dispatcher. The checkpoint only moves past events whose outcome is `published`; a
 * `failed` one is retried with backoff, never skipped. Drains of one tail run one after another.
 *
 * @example
 * const tail = new DispatchTail({ index, log, dispatcher, checkpoints, upcast: registry.upcast });
 * const { published } = await tail.drain(); // everything indexed so far has been dispatched
 */
export class DispatchTail {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stalls: StallState;

  constructor(private readonly options: DispatchTailOptions) {
    this.stalls = new StallState(options.stallBackoff ?? { baseMs: 1_000, maxMs: 30_000 }, options.now ?? Date.now);
  }

  /** The stall of the last drain, if a full disk or a store it cannot use stopped it; cleared by the next drain that catches up. */
  get stall(): DispatchStall | undefined {
    return this.stalls.stall;
  }

  /** Publish everything indexed after the checkpoint, batch by batch, until caught up or told to `stop`. */
  drain(): Promise<DrainReport> {
    const run = this.queue.then(() => this.drainNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async drainNow(): Promise<DrainReport> {
    const { index, checkpoints, name = 'dispatch', stop } = this.options;
    const sizes = new DrainBatchSizes(this.options);
    const held = this.stalls.holding();
    if (held) return { published: 0, batches: 0, retries: 0, position: held.position, stalled: held.error };
    let position = await checkpoints.get(name);
    let published = 0;
    let batches = 0;
    let retries = 0;
    for (let page = await index.afterPosition(position, sizes.next()); page.entries.length > 0; page = await index.afterPosition(position, sizes.next())) {
      // Asked only with a batch in hand: a drain with nothing left ends caught up, not stopped.
      if (batches > 0 && stop?.()) return { published, batches, retries, position, stopped: true };
      let outcome: Awaited<ReturnType<DispatchTail['publishPage']>>;
      try {
        outcome = await this.publishPage(page, name);
      } catch (error) {
        // The checkpoint's own write failed: it stays where it was, and the page is published again (idempotently).
        if (!isStallError(error)) throw error;
        outcome = { retries: 0, stoppedAfter: 0, stalled: error };
      }
      retries += outcome.retries;
      if (outcome.stoppedAfter !== undefined) {
        const done = outcome.stoppedAfter;
        const at = done > 0 ? page.entries[done - 1]!.position : position;
        const report = { published: published + done, batches, retries, position: at };
        return outcome.stalled ? { ...report, stalled: this.stalls.stalledAt(at, outcome.stalled) } : { ...report, stopped: true };
      }
      published += page.entries.length;
      batches++;
      position = page.next;
      sizes.done();
    }
    this.stalls.clear();
    return { published, batches, retries, position };
  }

  /**
   * Publish one page until every event is `published`, checkpointing the published prefix as it grows. An event the
   * registry refuses (its upcaster or stored schema) is not retried: the events before it are published, then
   * `DispatchBlockedError` stops the drain there with the cause, as no retry can change it before an operator does.
   * Nor is one an unrestored archived object holds: its `ArchivedEventError` stops the drain the same way, and the
   * first drain after the restore goes on from it (nothing remembers the wait, so nothing needs clearing).
   * `stoppedAfter`: told to `stop` between attempts, or `stalled` by a full disk or a store it cannot use (no retry
   * helps until space is freed or the store fixed), the count of the page's events published (and checkpointed).
   */
  private async publishPage(page: PositionPage, name: string): Promise<{ retries: number; stoppedAfter?: number; stalled?: StallError }> {
    const { dispatcher, checkpoints, maxAttempts = 8, stop } = this.options;
    const { entries } = page;
    const done: boolean[] = entries.map(() => false);
    let read: PageEvents | undefined;
    let checkpointed = 0;
    let retries = 0;
    let lastError: unknown;
    for (let attempt = 1; ; attempt++) {
      let pending: number[] = [];
      try {
        read ??= await readPage(this.options, entries);
        const usable = read.events;
        pending = done.flatMap((d, i) => (d || i >= usable.length ? [] : [i]));
        const outcomes = pending.length > 0 ? await dispatcher.publish(pending.map((i) => usable[i]!)) : [];
        if (outcomes.length !== pending.length) throw new TransientError(`dispatcher returned ${outcomes.length} outcomes for ${pending.length} events`);
        outcomes.forEach((o, k) => {
          if (o.status === 'published') done[pending[k]!] = true;
          else lastError = new TransientError(`${o.id}: ${o.error ?? 'failed'}`);
        });
      } catch (error) {
        lastError = error;
      }
      if (attempt > 1) retries += pending.length;
      const prefix = done.includes(false) ? done.indexOf(false) : entries.length;
      if (prefix > checkpointed) {
        await checkpoints.set(name, prefix === entries.length ? page.next : entries[prefix - 1]!.position);
        checkpointed = prefix;
      }
      if (prefix === entries.length) return { retries };
      if (read?.stoppedBy && prefix >= read.events.length) throw read.stoppedBy;
      if (isStallError(lastError)) return { retries, stoppedAfter: prefix, stalled: lastError };
      if (attempt >= maxAttempts) {
        const why = lastError instanceof Error ? `: ${lastError instanceof EventlakeError ? `${lastError.code}: ` : ''}${lastError.message}` : '';
        throw new TransientError(`dispatch stopped at position ${entries[prefix]!.position} (${entries[prefix]!.id}) after ${attempt} attempts${why}; the next drain resumes there`, { cause: lastError });
      }
      if (stop?.()) return { retries, stoppedAfter: prefix };
      await (this.options.sleep ?? defaultSleep)(this.delay(attempt));
    }
  }

  private delay(attempt: number): number {
    const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 100, maxMs: 5000 };
    const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    return ceiling / 2 + (ceiling / 2) * Math.random();
  }
}
