// The projector: the dispatch target that applies delivered events to a projection's live generation. The local
// dispatcher and the AWS projector Lambda both use it, so a projection behaves the same on a laptop and in AWS.

import { EVENT_SOURCE } from '../domain/bus.ts';
import type { DomainEvent } from '../domain/event.ts';
import type { DispatchRule } from '../domain/ports/dispatcher.ts';
import type { ApplyOutcome, ProjectionStore } from '../domain/ports/projection-store.ts';
import { changesChecked, type Projection } from '../domain/projection.ts';
import type { UpcasterStep } from '../schemas/upcasters.ts';
import { foreignFoldRecorder } from './foreign-fold.ts';

/** Applies a batch of delivered events; throws (so the dispatcher retries) when the store fails. */
export type Projector = (events: readonly DomainEvent[]) => Promise<ApplyOutcome[]>;

/**
 * The default rule of a projection: every eventlake event goes to it (it skips the types it does not handle).
 *
 * @example
 * projectorRule(balancesProjection); // { name: 'balances-projector', pattern: { source: ['eventlake'] }, target: 'balances' }
 */
export function projectorRule(projection: Pick<Projection, 'name'>): DispatchRule {
  return { name: `${projection.name}-projector`, pattern: { source: [EVENT_SOURCE] }, target: projection.name };
}

export interface ProjectorOptions {
  /** The applies come from a replay. */
  readonly replay?: boolean;
  /**
   * The upcasters registered where it runs (`registry.upcasterSteps()`): given, events folded into a live generation
   * built with other rules than these and the projection's are recorded on it (foreign-fold.ts). Not with `replay`.
   */
  readonly upcasters?: readonly UpcasterStep[];
  /** Wall clock, epoch ms, of those records. */
  readonly now?: () => number;
}

/**
 * A handler that applies events to the projection's live generation, each exactly once (the store's idempotency
 * keys make redeliveries harmless). `replay` marks the applies as coming from a replay. What the rules return is
 * checked first (`changesChecked`): a change that is not what `Changes` says fails its event with `ProjectionRuleError`.
 *
 * @example
 * const project = createProjector(store, balancesProjection);
 * await project(events); // [{ id, status: 'applied' | 'duplicate' | 'skipped' }, ...]
 */
export function createProjector(store: ProjectionStore, projection: Projection, options: ProjectorOptions = {}): Projector {
  const replay = options.replay === true;
  const record = options.upcasters && !replay ? foreignFoldRecorder(store, projection, options.upcasters, options.now) : undefined;
  const checked = changesChecked(projection);
  return async (events) => {
    if (events.length === 0) return [];
    const generation = await store.liveGeneration(projection.name);
    // Before the apply, so the record is never lost with it (foreign-fold.ts says why).
    await record?.(generation, events);
    return store.apply(checked, generation, events, { replay });
  };
}

/**
 * The rule and handler of a projection, in the shape the local dispatcher's `rules` option takes.
 *
 * @example
 * new LocalDispatcher({ rules: [projectorRoute(store, balancesProjection)], deadLetters });
 */
export function projectorRoute(store: ProjectionStore, projection: Projection, options: ProjectorOptions = {}): { rule: DispatchRule; handler: Projector } {
  return { rule: projectorRule(projection), handler: createProjector(store, projection, options) };
}
