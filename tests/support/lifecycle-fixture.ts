// What the runLifecycle suites share: a clock, hours of generated events, a log + index + local archive tier on a
// temp dir, and storing events in both as the indexer would.

import { join } from 'node:path';
import type { Test } from 'uvu';
import { FsArchiveTier } from '../../adapters/local/fs-archive-tier.ts';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { accountsOf, eventId } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { EventLog } from '../../domain/ports/event-log.ts';
import { tempDir } from './tmp.ts';

export const DAY = 86_400;
export const NOW = Date.UTC(2024, 6, 1, 12, 30);
/** The start of the hour `days` days before NOW's, in epoch seconds. */
export const hourAgo = (days: number) => Math.floor(NOW / 1000 / 3600) * 3600 - days * DAY;

export interface LifecycleCtx { log: FsEventLog; index: SqliteEventIndex; archive: FsArchiveTier }

/** Generated events of the hour starting at `start` (epoch seconds). */
export function hourOfEvents(start: number, seed: number): DomainEvent[] {
  return generateEvents({ accounts: 4, days: 1 / 24, eventsPerDay: 24 * 6, start, seed }).filter((e) => e.EventTimeStamp < start + 3600);
}

/** Append `events` and index them where the log put them, hot. */
export async function store(ctx: { readonly log: EventLog; readonly index: EventIndex }, events: readonly DomainEvent[]): Promise<void> {
  const results = await ctx.log.append(events);
  await ctx.index.put(events.map((e, i) => ({
    id: eventId(e), type: e.EventType, timestamp: e.EventTimeStamp, accounts: accountsOf(e),
    location: results[i]!.location, size: results[i]!.size, storageClass: 'STANDARD', restore: 'NONE',
  })));
}

/** A fresh log, index and archive tier (which reports its moves to the index) around each test of `test`. */
export function withLifecycleCtx(test: Test<LifecycleCtx>): void {
  test.before.each(async (ctx) => {
    const dataDir = tempDir();
    ctx.log = await FsEventLog.open(dataDir);
    const index = new SqliteEventIndex(join(dataDir, 'index.db'));
    ctx.index = index;
    ctx.archive = new FsArchiveTier({ dataDir, onStorageChange: (k, c, r) => index.setObjectStorage(k, c, r) });
  });
  test.after.each(async (ctx) => {
    ctx.archive.close();
    ctx.index.close();
    await ctx.log.close();
  });
}
