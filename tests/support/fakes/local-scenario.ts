// A small history in a real local data dir: generated days emitted and dispatched day by day, a snapshot of every
// projection at the end of each day, then a lifecycle run so the oldest days are Deep Archive, the next Glacier.

import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../../projections/runtime.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { runLifecycle } from '../../../projections/lifecycle.ts';
import { tempDir } from '../tmp.ts';

export const LOCAL_START_S = 1_736_121_600; // 2025-01-06T00:00:00Z
const DAY_S = 86_400;

export interface LocalScenario {
  readonly dataDir: string;
  readonly events: DomainEvent[];
  /** Wall-clock ms of the snapshots taken at the end of day d. */
  readonly endOfDay: (d: number) => number;
  /** Open the data dir again (the clock stays at the end of the data). */
  readonly open: () => Promise<LocalEventlake>;
}

/** Six days, 40 events a day; days 0-1 end in DEEP_ARCHIVE, 2-3 in GLACIER, 4-5 stay hot. */
export async function buildLocalScenario(options: { days?: number; eventsPerDay?: number; seed?: number } = {}): Promise<LocalScenario> {
  const days = options.days ?? 6;
  const dataDir = tempDir('eventlake-rebuild-');
  let clock = LOCAL_START_S * 1000;
  const endOfDay = (d: number) => (LOCAL_START_S + (d + 1) * DAY_S) * 1000 + 1000;
  const open = () => openLocalEventlake({ dataDir, now: () => clock, restoreDelayMs: 0 });
  const events = generateEvents({ accounts: 10, days, eventsPerDay: options.eventsPerDay ?? 40, start: LOCAL_START_S, seed: options.seed ?? 11 });
  const local = await open();
  try {
    for (let d = 0; d < days; d++) {
      const last = d === days - 1;
      clock = endOfDay(d) - 1000;
      await local.lake.emit(events.filter((e) => e.EventTimeStamp >= LOCAL_START_S + d * DAY_S && (last || e.EventTimeStamp < LOCAL_START_S + (d + 1) * DAY_S)));
      await local.catchUp();
      clock = endOfDay(d);
      for (const p of local.projections) await local.snapshots.take(p.name, await local.store.liveGeneration(p.name), await local.dispatchedPosition());
    }
    clock = (LOCAL_START_S + days * DAY_S) * 1000;
    await runLifecycle(local, { now: clock, policy: { glacierAfterDays: days - 4, deepArchiveAfterDays: days - 2 } });
  } finally {
    await local.close();
  }
  return { dataDir, events, endOfDay, open };
}
