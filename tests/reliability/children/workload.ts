// The deterministic workload the crash tests and their child processes share: the same events on both sides.

import type { DomainEvent } from '../../../domain/event.ts';
import type { EventIndex } from '../../../domain/ports/event-index.ts';
import type { EventLog } from '../../../domain/ports/event-log.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { compactHour } from '../../../projections/compactor.ts';

/** 2025-01-06T00:00:00Z: old enough for the registry's clock check, fixed so every run emits the same bytes. */
export const WORKLOAD_START_S = 1_736_121_600;

/** Two days of generated bank events (deposits with verifications, withdrawals, payments, transfers). */
export function workloadEvents(seed = 7, eventsPerDay = 30): DomainEvent[] {
  return generateEvents({ accounts: 8, days: 2, eventsPerDay, start: WORKLOAD_START_S, seed });
}

/** Consecutive slices of at most `size`. */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Compact every hour partition the index knows, oldest first; returns the events moved into segments. */
export async function compactAll(deps: { log: EventLog; index: EventIndex }): Promise<number> {
  const hours = new Set((await deps.index.objects()).map((o) => o.key.slice(0, o.key.lastIndexOf('/') + 1)));
  let compacted = 0;
  for (const hour of [...hours].sort()) compacted += (await compactHour(deps, hour)).compacted;
  return compacted;
}

/** The events every concurrent emitter sends in round `round`: identical bytes in every process. */
export function roundEvents(round: number): DomainEvent[] {
  return generateEvents({ accounts: 6, days: 1, eventsPerDay: 8, start: WORKLOAD_START_S + round * 86_400, seed: 500 + round });
}

/** One identity per round whose content differs per emitter: only one of them can be stored. */
export function conflictEvent(round: number, emitter: number): DomainEvent {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  return {
    EventType: 'incoming_payment', SchemaVersion: 1, RequestId: `c0ffee00-0000-4000-8000-${hex(round, 12)}`,
    EventTimeStamp: WORKLOAD_START_S + round * 86_400 + 600, TargetAccount: 'ACC-000001', Amount: `${emitter + 1}0.00`,
    SourceInstitution: 'Race Bank', SourceAccount: `RACE-${emitter}`, Reference: `emitter ${emitter}`,
  };
}
