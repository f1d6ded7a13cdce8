// The rules a projection's first generation was built with. A rebuild records its rules with its checkpoint; generation
// 1 is filled by dispatch alone, so without this it would read 'unknown' for good, and `eventlake status` could never
// tell an operator that the lake's past was folded with other rules than the running code's.
//
// Why only before the lake's first fold, and never overwritten: a record says which rules folded the generation's
// events. Recorded later it would name the rules of whoever came by, not those that folded what is already there.
// The record is a checkpoint with the rules alone (no planKey): rebuild code reads it as no rebuild's (replay.ts).

import type { JsonObject } from '../../domain/event.ts';
import type { Projection } from '../../domain/projection.ts';
import type { RebuildDeps } from './deps.ts';
import { recordRules, rulesByType, rulesFingerprint, upcastersOf } from './rules-fingerprint.ts';

/**
 * Record the running rules of each projection whose live generation is still its first, holds no checkpoint and has
 * applied no event (a store that cannot tell, without `forEachApplied`, records nothing). Call it only while nothing
 * was dispatched, just before the lake's first events are: dispatch starting over from 0 (repair index) is not enough.
 *
 * @example
 * if ((await checkpoints.get('dispatch')) === 0) await recordFirstGenerationRules({ store, registry }, projections);
 */
export async function recordFirstGenerationRules(deps: Pick<RebuildDeps, 'store' | 'registry'>, projections: readonly Projection[]): Promise<void> {
  for (const projection of projections) {
    const name = projection.name;
    if ((await deps.store.liveGeneration(name)) !== 1 || (await deps.store.getCheckpoint(name, 1)) !== undefined) continue;
    if (!(await appliedNothing(deps.store, name))) continue;
    await deps.store.setCheckpoint(name, 1, firstGenerationCheckpoint(projection, deps.registry));
  }
}

/**
 * The checkpoint that records `projection`'s running rules on its first generation: the rules alone (no planKey), as
 * the projection reads them (a given fingerprint, on AWS, when the synth gave one), and each rule's digest by event type
 * (only the types for given rules).
 * For stores written elsewhere (the AWS projector records it with a conditional write of its own).
 */
export function firstGenerationCheckpoint(projection: Projection, registry: RebuildDeps['registry']): JsonObject {
  const upcasters = upcastersOf(registry);
  return { ...recordRules(rulesFingerprint(projection, upcasters), rulesByType(projection, upcasters)) };
}

const FOUND = Symbol('applied');

/** Whether generation 1 holds no idempotency record; stops at the first one. */
async function appliedNothing(store: RebuildDeps['store'], name: string): Promise<boolean> {
  if (!store.forEachApplied) return false;
  try {
    await store.forEachApplied(name, 1, () => { throw FOUND; });
    return true;
  } catch (stop) {
    if (stop === FOUND) return false;
    throw stop;
  }
}
