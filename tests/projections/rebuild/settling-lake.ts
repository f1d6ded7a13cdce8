// A rebuild scenario on an index that commits out of position order (SettlingEventIndex over the in-memory lake's),
// for the tests of settled marks: the coordinator reads it as the rebuild function does (no dispatch position of its own).

import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { foldEvents, type ProjectionState } from '../../../domain/projection.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { RebuildDeps } from '../../../projections/rebuild/deps.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';
import { SettlingEventIndex } from '../../support/fakes/settling-event-index.ts';

export const SETTLE_MS = 121_000;

export const visible = (s: ProjectionState) => ({ counters: [...s.counters].sort(), rows: [...s.rows].sort(([a], [b]) => (a < b ? -1 : 1)) });
export const fold = (lake: MemoryLake, events: DomainEvent[]) => visible(foldEvents(lake.projections.find((p) => p.name === 'balances')!, events));

/**
 * The scenario, its coordinator over the settling index, sleeps that move the clock and then run `hooks.whileWaiting`,
 * and two more withdrawals: `inFlight()` puts `late` first, held in flight (not readable by position), then `next`.
 */
export async function settlingLake(options: { settleMs?: number; leaseTtlMs?: number } = {}) {
  const { lake, events, endOfDay } = await buildScenario();
  const index = new SettlingEventIndex(lake.index, options.settleMs ?? SETTLE_MS);
  const slept: number[] = [];
  const hooks = { whileWaiting: async () => {} };
  const deps: RebuildDeps = {
    index, log: lake.log, store: lake.store, snapshots: lake.snapshots, archive: lake.archive, checkpoints: lake.checkpoints, registry: lake.registry,
    leaseClock: () => lake.clock, ...(options.leaseTtlMs ? { leaseTtlMs: options.leaseTtlMs } : {}),
    sleep: async (ms) => { slept.push(ms); lake.clock += ms; await hooks.whileWaiting(); },
  };
  const coordinator = new RebuildCoordinator(deps, lake.projections);
  const withdrawal = events.find((e) => e.EventType === 'cash_withdrawal')!;
  const late = { ...withdrawal, RequestId: '00000000-0000-4000-8000-0000000000a1' };
  const next = { ...withdrawal, RequestId: '00000000-0000-4000-8000-0000000000a2' };
  const inFlight = async () => {
    index.hold(eventId(late));
    await lake.ingest([late]);
    await lake.ingest([next]);
  };
  return { lake, events, endOfDay, index, slept, hooks, coordinator, late, next, inFlight };
}
