// How a generation's recorded rules by event type (rules-fingerprint.ts `ruleDigests`, or older `rulesTypes`) compare
// with a process's own: which events it folds otherwise than the builder did, and whether it lacks the builder's rules.

import type { DomainEvent } from '../../domain/event.ts';
import type { Projection } from '../../domain/projection.ts';
import type { UpcasterStep } from '../../schemas/upcasters.ts';
import { compareRules, ruleDigests, rulesFingerprint, type RecordedRules } from './rules-fingerprint.ts';

/** The builder's rules by event type: each type's digest, undefined where only the type was recorded. */
export type BuilderRules = ReadonlyMap<string, string | undefined>;

/**
 * The rules a generation recorded its builder folded with, by event type; undefined when it recorded none (a checkpoint
 * older than them, or a projection without a rules map). Old checkpoints' `rulesTypes` give the types without digests.
 */
export function recordedRulesByType(recorded: RecordedRules | undefined): BuilderRules | undefined {
  const digests: unknown = recorded?.ruleDigests;
  if (typeof digests === 'object' && digests !== null && !Array.isArray(digests)) {
    const entries = Object.entries(digests);
    if (entries.every(([, d]) => typeof d === 'string')) return new Map(entries as [string, string][]);
  }
  const types: unknown = recorded?.rulesTypes;
  return Array.isArray(types) && types.every((t) => typeof t === 'string') ? new Map(types.map((t: string) => [t, undefined])) : undefined;
}

/**
 * Whether a process whose rules are `own` (its `ruleDigests`) and `handles` folds `event` otherwise than a builder
 * that recorded `builder`: the builder had a rule for its type, and this process has none, or one of another digest.
 * A type both handle where the builder recorded no digest reads as folded alike (what could be told before digests).
 */
export function foldsOtherwise(event: DomainEvent, builder: BuilderRules, own: Readonly<Record<string, string>> | undefined, handles: boolean): boolean {
  const type = event.EventType;
  if (!builder.has(type)) return false;
  if (!handles) return true;
  const recorded = builder.get(type);
  return recorded !== undefined && own !== undefined && own[type] !== recorded;
}

/**
 * Whether `projection`, with the rules `upcasters` reach, lacks a rule the builder of a generation that recorded
 * `recorded` folded with (none for its type, or another digest): rebuilding with its own rules would not give back the
 * builder's. True for other rules recorded without types (nothing tells which differ); false for the same or unknown.
 */
export function lacksBuilderRules(recorded: RecordedRules | undefined, projection: Projection, upcasters: readonly UpcasterStep[]): boolean {
  if (compareRules(recorded, rulesFingerprint(projection, upcasters)) !== 'other') return false;
  const builder = recordedRulesByType(recorded);
  if (!builder) return true;
  const own = ruleDigests(projection, upcasters);
  return [...builder.keys()].some((type) => foldsOtherwise({ EventType: type } as DomainEvent, builder, own, projection.handles({ EventType: type } as DomainEvent)));
}
