// Group commit across callers: concurrent emits (HTTP requests of one event each) share one append.

import { ArchivedCopyUncomparableError } from '../domain/archived-copy-error.ts';
import { EventConflictError, TransientError } from '../domain/errors.ts';
import { eventId, type DomainEvent } from '../domain/event.ts';
import type { EmitResult, Eventlake } from './eventlake.ts';

interface Waiting {
  readonly events: readonly DomainEvent[];
  readonly resolve: (results: EmitResult[]) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupEmitterOptions {
  /** Most events one append takes (whole calls are never split; one larger call goes alone). Default 10,000. */
  readonly maxEvents?: number;
  /**
   * Most events that may wait for an append; a call that would pass it is refused at once with `TransientError`
   * (nothing written; retry later, HTTP 503), unless nothing waits. Default 100,000. Why: when calls come faster than
   * appends, waiting calls (and their events, in memory) would otherwise grow without limit, and so would their wait.
   */
  readonly maxWaiting?: number;
  /** Runs each append (e.g. a queue the host shares with its other writers). Default: runs it directly. */
  readonly run?: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * Emits of concurrent callers are validated on their own, then appended together: while one append runs, the calls
 * that arrive wait and go as the next append. Why: every append pays one journal fsync, one catalogue commit and the
 * indexing and dispatch after it, whatever its size, so a server taking one event per request spent nearly all its
 * time on those; grouped, they are paid once per group. Each caller still gets its answer only once its events are
 * durable, and only its own results or its own error: an invalid input is refused before it joins a group, and a
 * group whose append fails on a conflict is appended again without the calls holding that identity, which then go
 * alone, so only the conflicting call fails.
 *
 * @example
 * const emitter = new GroupEmitter(local.lake);
 * const [r] = await emitter.emit(event); // concurrent calls share one append
 */
export class GroupEmitter {
  private waiting: Waiting[] = [];
  /** Events of `waiting`. */
  private waitingEvents = 0;
  private running = false;
  /** Appends made and calls served, for tests and diagnostics. */
  readonly stats = { appends: 0, calls: 0 };

  constructor(private readonly lake: Pick<Eventlake, 'prepare' | 'append'>, private readonly options: GroupEmitterOptions = {}) {}

  /**
   * Validate `input` and append it with the group. Rejects at once with `BatchRejectedError` when it is invalid
   * (nothing written, no group held back), and with `TransientError` when `maxWaiting` events already wait; never
   * throws synchronously, like `Eventlake.emit`.
   */
  emit(input: unknown | readonly unknown[]): Promise<EmitResult[]> {
    let events: DomainEvent[];
    try {
      events = this.lake.prepare(Array.isArray(input) ? input : [input]);
    } catch (error) {
      return Promise.reject(error);
    }
    if (events.length === 0) return Promise.resolve([]);
    const maxWaiting = this.options.maxWaiting ?? 100_000;
    if (this.waiting.length > 0 && this.waitingEvents + events.length > maxWaiting) {
      return Promise.reject(new TransientError(`maxWaiting: ${this.waitingEvents} events already wait for an append, and ${events.length} more would pass ` +
        `GroupEmitterOptions.maxWaiting (${maxWaiting}); nothing was written. Retry in a moment, or raise maxWaiting if the memory allows`));
    }
    return new Promise<EmitResult[]>((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      this.waitingEvents += events.length;
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) await this.appendGroup(this.nextGroup());
    } finally {
      this.running = false;
    }
  }

  private nextGroup(): Waiting[] {
    const max = this.options.maxEvents ?? 10_000;
    let events = 0;
    let n = 0;
    while (n < this.waiting.length && (n === 0 || events + this.waiting[n]!.events.length <= max)) events += this.waiting[n++]!.events.length;
    this.waitingEvents -= events;
    return this.waiting.splice(0, n);
  }

  private async appendGroup(group: readonly Waiting[]): Promise<void> {
    const run = this.options.run ?? (<T>(work: () => Promise<T>) => work());
    const all = group.length === 1 ? group[0]!.events : group.flatMap((w) => w.events);
    try {
      const results = await run(() => this.lake.append(all));
      this.stats.appends++;
      let at = 0;
      for (const w of group) {
        w.resolve(results.slice(at, (at += w.events.length)));
        this.stats.calls++;
      }
    } catch (error) {
      // A refusal to compare with an archived copy names one identity too: only its calls must lose the group.
      if (group.length === 1 || !(error instanceof EventConflictError || error instanceof ArchivedCopyUncomparableError)) {
        for (const w of group) w.reject(error);
        this.stats.calls += group.length;
        return;
      }
      // One call's event conflicts with a stored one (or with another call's): nothing of the group was written
      // (an append checks every event before it writes). The calls without that identity go again together (one
      // client re-sending a conflicting event must not turn a busy server's appends into one per call), then the
      // calls with it alone, in their order, so only a conflicting one fails.
      const holders = group.filter((w) => w.events.some((e) => eventId(e) === error.eventId));
      const others = group.filter((w) => !holders.includes(w));
      // No holder found (an identity the events do not show), or every call holds it: each call alone.
      if (holders.length === 0 || others.length === 0) {
        for (const w of group) await this.appendGroup([w]);
        return;
      }
      await this.appendGroup(others);
      for (const w of holders) await this.appendGroup([w]);
    }
  }
}
