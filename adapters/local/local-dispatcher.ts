// The in-process bus: EventBridge rules (event patterns) route logged events to handlers, with retries, backoff and
// a dead-letter store, so one poison event never holds back the others.

import { toBusEntry } from '../../domain/bus.ts';
import { EventlakeError, InvalidArgumentError, StorageFullError } from '../../domain/errors.ts';
import { eventId } from '../../domain/event.ts';
import type { DomainEvent } from '../../domain/event.ts';
import type { DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import type { Dispatcher, DispatchRule, PublishOutcome } from '../../domain/ports/dispatcher.ts';
import { compilePattern } from './event-pattern.ts';
import type { PatternPredicate } from './event-pattern.ts';
import { asStorageFull, isDiskFailure } from './storage-full.ts';

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

/** `CODE: message` for eventlake errors, `Name: message` otherwise. */
export function describeError(error: unknown): string {
  if (error instanceof EventlakeError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Delivers each event to every rule whose pattern matches its bus entry (`toBusEntry`). A rule's matching events go
 * to its handler as one batch; if the batch fails, one at a time, each retried with backoff, and an event that still
 * fails after `maxAttempts` becomes a dead letter. An event is `published` once delivered or dead-lettered, `failed`
 * only when even the dead-letter store refused it (the caller retries). A full or failing disk (a handler's or the
 * dead-letter store's) is no event's fault and no retry here helps: `publish` throws `StorageFullError` at the first
 * one, without retrying or dead-lettering anything (the caller backs off and publishes the same events again).
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
        // One bad event fails the whole batch: fall back to one at a time, so only that one is held back.
        throwIfDiskFailure(error, route, batch.length);
      }
    }
    const failures = new Map<number, string>();
    for (const [i, event] of batch.entries()) {
      const outcome = await this.deliverOne(route, event);
      if (outcome === undefined) continue;
      const letter = { id: eventId(event), target: route.rule.target, error: describeError(outcome.error), attempts: outcome.attempts, failedAt: this.now() };
      try {
        await this.options.deadLetters.add(letter);
        this.stats.deadLettered++;
      } catch (error) {
        throwIfDiskFailure(error, route, 1);
        failures.set(i, `${letter.error}; the dead-letter store failed too: ${describeError(error)}`);
      }
    }
    return failures;
  }

  /** Up to `maxAttempts` deliveries of one event; `undefined` once delivered, else the last error. */
  private async deliverOne(route: LocalRoute, event: DomainEvent): Promise<{ error: unknown; attempts: number } | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        await route.handler([event]);
        this.stats.delivered++;
        return undefined;
      } catch (error) {
        throwIfDiskFailure(error, route, 1);
        if (attempt >= this.maxAttempts) return { error, attempts: attempt };
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

/**
 * Why at once: a full disk fails every event alike, so retrying each one (5 attempts with backoff, a 2,000-event
 * batch, every projection) held dispatch, and every emit and read waiting for it, for hours, and then dead-lettered
 * events that were never at fault.
 */
function throwIfDiskFailure(error: unknown, route: LocalRoute, events: number): void {
  if (!(error instanceof StorageFullError) && !isDiskFailure(error)) return;
  const target = route.rule.target;
  throw asStorageFull(error, `applying ${events} event(s) to projection ${target}`, `projection ${target}'s store`,
    'the events stay stored and are dispatched again from the dispatch checkpoint');
}
