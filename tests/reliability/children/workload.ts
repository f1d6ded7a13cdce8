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
