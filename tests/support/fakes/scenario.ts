// A small history for rebuild tests: days of generated events ingested and dispatched day by day, a snapshot at the
// end of each day, then the oldest days archived (Deep Archive first, then Glacier), the newest left hot.

import type { DomainEvent } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { MemoryLake } from './memory-lake.ts';

export const DAY_S = 86_400;
export const START_S = 1_704_067_200; // 2024-01-01T00:00:00Z

export interface Scenario {
  readonly lake: MemoryLake;
  readonly events: DomainEvent[];
  /** Wall-clock ms at the end of day d (when its snapshot was taken). */
  readonly endOfDay: (d: number) => number;
}

export interface ScenarioOptions {
  readonly days?: number;
  readonly eventsPerDay?: number;
  readonly deepDays?: number;
  readonly glacierDays?: number;
  readonly restoreDelayMs?: number;
  readonly seed?: number;
}

export async function buildScenario(options: ScenarioOptions = {}): Promise<Scenario> {
  const days = options.days ?? 6;
  const lake = new MemoryLake(options.restoreDelayMs ?? 0);
  const events = generateEvents({ accounts: 8, days, eventsPerDay: options.eventsPerDay ?? 24, start: START_S, seed: options.seed ?? 7 });
  const endOfDay = (d: number) => (START_S + (d + 1) * DAY_S) * 1000 + 60_000;
  for (let d = 0; d < days; d++) {
    // Verifications come an hour after their deposit, so a day's last ones land on the next day.
    const today = events.filter((e) => e.EventTimeStamp < START_S + (d + 1) * DAY_S && e.EventTimeStamp >= START_S + d * DAY_S);
    await lake.ingest(today);
    await lake.dispatch();
    lake.clock = endOfDay(d);
    for (const p of lake.projections) await lake.snapshot(p.name);
  }
  const late = events.filter((e) => e.EventTimeStamp >= START_S + days * DAY_S);
  if (late.length > 0) await lake.ingest(late);
  await lake.dispatch();
  const hours = [...new Set(events.map((e) => e.EventTimeStamp - (e.EventTimeStamp % 3600)))];
  const deep = START_S + (options.deepDays ?? 2) * DAY_S;
  const glacier = deep + (options.glacierDays ?? 2) * DAY_S;
  for (const h of hours) {
    if (h < deep) await lake.archiveHour(h, 'DEEP_ARCHIVE');
    else if (h < glacier) await lake.archiveHour(h, 'GLACIER');
  }
  return { lake, events, endOfDay };
}
