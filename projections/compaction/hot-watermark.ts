// The background compaction's watermark (serve, run): which hours a run must look at, so that its cost follows what
// was appended and what ended since the last run, not the whole history (a year of hours was 8,760 listings a run).
//
// What it says, as two names in the target's CheckpointStore (dispatch.db locally, beside the dispatch checkpoint and
// the archive lease): with `hour` H and `position` P, every event indexed at or before P whose hour started before H was
// indexed before a run compacted its hour. Compaction is never undone, so the statement stays true, and a run looks at:
//   - late hours: hours before H of events indexed after P (an emit with an old EventTimeStamp, a backfill, an event
//     another process appended and this one indexed later), read by position as the dispatch tail reads;
//   - fresh hours: hours from H to the cutoff that hold an indexed event (one index read each; empty hours cost none).
// A run then saves (cutoff, the last position it read before compacting anything). Why both need not change at once:
// the hour is written first, and (new hour, old position) says no more than the run did. A stopped run saves the hours
// it finished in order, or nothing while a late hour is left.
// Events the index does not know yet are left in place by compactHour; indexed later, they come after P: a late hour.
// An index repair renumbers positions: it forgets the watermark (checkpoint-kinds.ts), and the next run looks at every
// hour that holds an event once, as a first run does.
// Why this is the local runtime's: it relies on positions committed in increasing order (SqliteEventIndex's IMMEDIATE
// transactions). On AWS positions are times written by concurrent indexers; the scheduled compaction revisits a
// lookback of hours instead (compaction-schedule.ts).

import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import type { EventIndex, IndexRangeQuery } from '../../domain/ports/event-index.ts';
import type { RangeHead } from '../index-lookups.ts';

const HOUR = 3600;
const PAGE = 5_000;

/** Every CheckpointStore name of the watermark starts with this (checkpoint-kinds.ts: an index repair forgets them). */
export const HOT_WATERMARK_PREFIX = 'compaction:hot:';
const HOUR_NAME = `${HOT_WATERMARK_PREFIX}hour`;
const POSITION_NAME = `${HOT_WATERMARK_PREFIX}position`;

/** `hour` (epoch seconds, 0: never saved) and `position` (an index position): see the module comment. */
export interface HotWatermark {
  readonly hour: number;
  readonly position: number;
}

/** The hours a run looks at (starts, epoch seconds, oldest first), and the index position read before them. */
export interface HotHours {
  /** Hours before the watermark's hour that got events since its position. */
  readonly late: readonly number[];
  /** Hours from the watermark's hour to the cutoff that hold an indexed event (every such hour on a first run). */
  readonly fresh: readonly number[];
  readonly position: number;
}

/** The saved watermark; none (0, 0) without a store, so every run looks at every hour that holds an event. */
export async function readHotWatermark(store: CheckpointStore | undefined): Promise<HotWatermark> {
  if (!store) return { hour: 0, position: 0 };
  return { hour: await store.get(HOUR_NAME), position: await store.get(POSITION_NAME) };
}

/** Save `to` over `from` (what the run read), the hour first (see the module comment). */
export async function saveHotWatermark(store: CheckpointStore | undefined, from: HotWatermark, to: HotWatermark): Promise<void> {
  if (!store) return;
  if (to.hour !== from.hour) await store.set(HOUR_NAME, to.hour);
  if (to.position !== from.position) await store.set(POSITION_NAME, to.position);
}

/** The hours a run from `mark` looks at, when hours starting before `end` (epoch seconds, an hour's start) are due. */
export async function hotHours(index: EventIndex & Partial<RangeHead>, mark: HotWatermark, end: number): Promise<HotHours> {
  const late = new Set<number>();
  let position = mark.position;
  if (mark.hour === 0) position = await index.lastPosition();
  else {
    // Hours from min(H, end) on are fresh now or later: a cutoff moved back (a larger compactAfterHours) lowers H.
    const before = Math.min(mark.hour, end);
    for (let page = await index.afterPosition(position, PAGE); page.entries.length > 0; page = await index.afterPosition(position, PAGE)) {
      for (const e of page.entries) if (hourOf(e.timestamp) < before) late.add(hourOf(e.timestamp));
      position = page.next;
    }
  }
  const fresh: number[] = [];
  for (let from = mark.hour; ;) {
    const next = await firstHour(index, { from, to: end });
    if (next === undefined) break;
    fresh.push(next);
    from = next + HOUR;
  }
  return { late: [...late].sort((a, b) => a - b), fresh, position };
}

/**
 * The watermark after a run that finished the first `done` of `hours` (late ones first): unchanged while a late hour
 * is left, else the first fresh hour left (or `end`) with the position read before the run.
 */
export function watermarkAfter(mark: HotWatermark, hours: HotHours, done: number, end: number): HotWatermark {
  if (done < hours.late.length) return mark;
  return { hour: hours.fresh[done - hours.late.length] ?? end, position: hours.position };
}

function hourOf(timestamp: number): number {
  return Math.floor(timestamp / HOUR) * HOUR;
}

/** The hour of the first indexed event in the range, reading one entry where the index can (SqliteEventIndex). */
async function firstHour(index: EventIndex & Partial<RangeHead>, range: IndexRangeQuery): Promise<number | undefined> {
  if (range.from >= range.to) return undefined;
  if (index.firstEntries) {
    const [first] = await index.firstEntries(range, 1);
    return first === undefined ? undefined : hourOf(first.timestamp);
  }
  for await (const e of index.between(range)) return hourOf(e.timestamp);
  return undefined;
}
