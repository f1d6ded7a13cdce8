// The in-process bus: EventBridge rules (event patterns) route logged events to handlers, with retries, backoff and
// a dead-letter store, so one poison event never holds back the others.

import { toBusEntry } from '../../domain/bus.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { eventId } from '../../domain/event.ts';
import type { DomainEvent } from '../../domain/event.ts';
import type { DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import type { Dispatcher, DispatchRule, PublishOutcome } from '../../domain/ports/dispatcher.ts';
import { describeError, failsAlike, throwIfDiskFailure, throwIfNoEventsFault } from './dispatch-failures.ts';
import { compilePattern } from './event-pattern.ts';
import type { PatternPredicate } from './event-pattern.ts';

export { describeError } from './dispatch-failures.ts';

/** A rule's target: receives the matching events of one publish, in order. Throwing means "not delivered". */
export type DispatchHandler = (events: DomainEvent[]) => Promise<unknown>;

/** A rule and the handler behind its target. */
export interface LocalRoute {
  readonly rule: DispatchRule;
  readonly handler: DispatchHandler;
}

export interface LocalDispatcherOptions {
  readonly rules: readonly LocalRoute[];
  readonly deadLetters: DeadLetterStore;
  /** Deliveries of one event before it is dead-lettered (default 5). */
  readonly maxAttempts?: number;
  /** Exponential backoff between attempts: `baseMs * 2^(n-1)` capped at `maxMs`, jittered down by up to half. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Wall clock, epoch ms (dead letters' `failedAt`). */
  readonly now?: () => number;
  /** Reads an event back by identity, for `redrive`. */
  readonly load?: (id: string) => Promise<DomainEvent>;
}

/** Running totals of one dispatcher. */
export interface DispatchStats {
  delivered: number;
  deadLettered: number;
  retries: number;
}

/** What `redrive` did. */
export interface RedriveReport {
  readonly redriven: number;
  readonly failed: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A failed batch of at most this many events is delivered again one event at a time; a larger one by halves. */
const ONE_AT_A_TIME = 64;

/**
 * Delivers each event to every rule whose pattern matches its bus entry (`toBusEntry`). A rule's matching events go
 * to its handler as one batch; if the batch fails, its halves in turn down to 64 events, then one at a time, each
 * retried with backoff, and an event that still fails after `maxAttempts` (or at once with `CounterRangeError` or
 * Changes the check refused, which no retry changes) becomes a dead letter. An event is
 * `published` once delivered or dead-lettered, `failed` only when even the dead-letter store refused it (the caller
 * retries). A full or failing disk (a handler's or the dead-letter store's) is no event's fault and no retry here helps: `publish` throws `StorageFullError` at the first
 * one, without retrying or dead-lettering anything (the caller backs off and publishes the same events again); so is a
 * projection store another connection kept locked past SQLite's wait: `publish` throws `TransientError` at once; and one
 * it cannot write or read (read-only, EACCES/EPERM, SQLITE_READONLY, a damaged file): `StorageError` at once.
 *
 * @example
 * const dispatcher = new LocalDispatcher({
 *   rules: [{ rule: projectorRule(balancesProjection), handler: createProjector(store, balancesProjection) }],
 *   deadLetters: new SqliteDeadLetterStore(layout.dispatchDb),
 *   load: async (id) => log.read((await index.get(id))!.location),
 * });
 * await dispatcher.publish(events);
 */
export class LocalDispatcher implements Dispatcher {
  readonly stats: DispatchStats = { delivered: 0, deadLettered: 0, retries: 0 };
  private readonly routes: readonly (LocalRoute & { readonly matches: PatternPredicate })[];
  private readonly maxAttempts: number;

  constructor(private readonly options: LocalDispatcherOptions) {
    this.routes = options.rules.map((r) => ({ ...r, matches: compilePattern(r.rule.pattern) }));
    this.maxAttempts = options.maxAttempts ?? 5;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new InvalidArgumentError('maxAttempts', 'must be an integer >= 1');
  }

  async publish(events: readonly DomainEvent[]): Promise<PublishOutcome[]> {
    const entries = events.map((e) => toBusEntry(e));
    const failed = new Map<number, string>();
    for (const route of this.routes) {
      const picked = entries.flatMap((entry, i) => (route.matches(entry) ? [i] : []));
      if (picked.length === 0) continue;
      const failures = await this.deliver(route, picked.map((i) => events[i]!));
      for (const [k, error] of failures) failed.set(picked[k]!, `${route.rule.target}: ${error}`);
    }
    return events.map((e, i) => {
      const error = failed.get(i);
      return error === undefined ? { id: eventId(e), status: 'published' } : { id: eventId(e), status: 'failed', error };
    });
  }

  /** Re-deliver dead letters (of one target, or all); each one delivered is removed, the others keep their place. */
  async redrive(target?: string): Promise<RedriveReport> {
    const load = this.options.load;
    if (!load) throw new InvalidArgumentError('load', 'LocalDispatcher needs a load option to read dead-lettered events back');
    let redriven = 0;
    let failed = 0;
    for (const letter of await this.options.deadLetters.list(target)) {
      const route = this.routes.find((r) => r.rule.target === letter.target);
      let outcome: { error: unknown; attempts: number } | undefined = { error: `no rule targets ${letter.target}`, attempts: 0 };
      if (route) {
        try {
          outcome = await this.deliverOne(route, await load(letter.id));
        } catch (error) {
          outcome = { error, attempts: 0 };
        }
      }
      if (outcome === undefined) {
        await this.options.deadLetters.remove(letter.id, letter.target);
        redriven++;
      } else {
        await this.options.deadLetters.add({ ...letter, error: describeError(outcome.error), attempts: letter.attempts + outcome.attempts, failedAt: this.now() });
        failed++;
      }
    }
    return { redriven, failed };
  }

  /** Delivers one rule's batch; returns, by batch index, the events neither delivered nor dead-lettered. */
  private async deliver(route: LocalRoute, batch: DomainEvent[]): Promise<Map<number, string>> {
    if (batch.length > 1) {
      try {
        await route.handler(batch);
        this.stats.delivered += batch.length;
        return new Map();
      } catch (error) {
        throwIfNoEventsFault(error, route.rule.target, batch.length);
      }
    }
    // One bad event fails the whole batch: it goes again in parts, so only that one is held back. Why halves above
    // ONE_AT_A_TIME: one at a time, a poison event in a dispatch backlog's batch (grown up to 64k events) cost a commit
    // per event; halves cost about 2·log2(n / 64) + 64. Up to it, one at a time: the bad event's rule runs only for the
    // batch and its own attempts.
    const parts = batch.length > ONE_AT_A_TIME ? [batch.slice(0, batch.length >> 1), batch.slice(batch.length >> 1)] : batch.map((e) => [e]);
    const failures = new Map<number, string>();
    let at = 0;
    for (const part of parts) {
      const failed = part.length > 1 ? await this.deliver(route, part) : await this.deliverAlone(route, part[0]!);
      for (const [i, why] of failed) failures.set(at + i, why);
      at += part.length;
    }
    return failures;
  }

  /** One event, retried (`deliverOne`), else dead-lettered; returns it (index 0) if even the dead-letter store failed. */
  private async deliverAlone(route: LocalRoute, event: DomainEvent): Promise<Map<number, string>> {
    const outcome = await this.deliverOne(route, event);
    if (outcome === undefined) return new Map();
    const letter = { id: eventId(event), target: route.rule.target, error: describeError(outcome.error), attempts: outcome.attempts, failedAt: this.now() };
    try {
      await this.options.deadLetters.add(letter);
      this.stats.deadLettered++;
      return new Map();
    } catch (error) {
      throwIfDiskFailure(error, route.rule.target, 1);
      return new Map([[0, `${letter.error}; the dead-letter store failed too: ${describeError(error)}`]]);
    }
  }

  /** Up to `maxAttempts` deliveries of one event; `undefined` once delivered, else the last error. */
  private async deliverOne(route: LocalRoute, event: DomainEvent): Promise<{ error: unknown; attempts: number } | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        await route.handler([event]);
        this.stats.delivered++;
        return undefined;
      } catch (error) {
        throwIfNoEventsFault(error, route.rule.target, 1);
        if (attempt >= this.maxAttempts || failsAlike(error)) return { error, attempts: attempt };
      }
      this.stats.retries++;
      await (this.options.sleep ?? defaultSleep)(this.delay(attempt));
    }
  }

  private delay(attempt: number): number {
    const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 50, maxMs: 2000 };
    const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    return ceiling / 2 + (ceiling / 2) * (this.options.random ?? Math.random)();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
