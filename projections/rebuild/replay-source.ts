// The entries of a replay pass, handed out a batch at a time in replay order (never the whole range held at once).

import { compareEvents } from '../../domain/event.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import { rangeScansOf, replayEntriesIn, type PositionRange, type ReplayCursor, type ReplayEntry } from './deps.ts';

/** The entries of one replay pass after a cursor, in replay order, handed out a batch at a time. */
export interface ReplaySource {
  /** Entries still to come when the source was opened. */
  readonly remaining: number;
  /** Objects of the whole range (cursor or not) that are not in STANDARD, to make readable before the pass. */
  readonly archivedKeys: readonly string[];
  /** The next `size` entries (fewer at the end; none when done). */
  next(size: number): Promise<ReplayEntry[]>;
}

/**
 * Open a replay pass over `range` after `cursor`. Why a source and not a list: a pass over a million events held as one
 * sorted list set the peak memory of a rebuild; an index with `RangeScans` hands out pages in replay order (keyset on
 * (EventTimeStamp, id)), so a pass holds one batch. Other indexes are read whole and sorted, as before.
 */
export async function openReplaySource(index: EventIndex, range: PositionRange, cursor: ReplayCursor | undefined): Promise<ReplaySource> {
  const lean = rangeScansOf(index);
  if (!lean) {
    const entries = (await replayEntriesIn(index, range)).sort(compareEvents).reverse();
    const archivedKeys = [...new Set(entries.filter((e) => e.storageClass !== 'STANDARD').map((e) => e.location.key))];
    while (cursor && entries.length > 0 && compareEvents(entries[entries.length - 1]!, cursor) <= 0) entries.pop();
    return { remaining: entries.length, archivedKeys, next: async (size) => entries.splice(-size).reverse() };
  }
  let archivedKeys: string[] = [];
  const groups = await lean.summarize(range);
  if (groups.some((g) => g.storageClass !== 'STANDARD' && g.key === null)) {
    // Archived one-event objects are not grouped by key: find them in one scan of the range (rare: archiving follows compaction).
    const keys = new Set<string>();
    for (let after: ReplayCursor | undefined, page: ReplayEntry[]; (page = await lean.replayEntriesAfter(range, after, 10_000)).length > 0; after = page[page.length - 1]) {
      for (const e of page) if (e.storageClass !== 'STANDARD') keys.add(e.location.key);
    }
    archivedKeys = [...keys];
  } else {
    archivedKeys = [...new Set(groups.filter((g) => g.storageClass !== 'STANDARD' && g.key !== null).map((g) => g.key!))];
  }
  let after = cursor;
  return {
    // Without a cursor every entry of the range remains, and the summary has just counted them: countAfter would scan
    // the time index of the whole table for the same number.
    remaining: cursor ? await lean.countAfter(range, cursor) : groups.reduce((n, g) => n + g.events, 0),
    archivedKeys,
    next: async (size) => {
      const page = await lean.replayEntriesAfter(range, after, size);
      if (page.length > 0) after = page[page.length - 1];
      return page;
    },
  };
}

/**
 * The entries of `sources` (each in replay order) merged into one replay order, (EventTimeStamp, id), handed out `size`
 * at a time; each source is read a page of `size` at a time.
 */
export async function* mergedReplayOrder(sources: readonly ReplaySource[], size: number): AsyncGenerator<ReplayEntry[]> {
  const pages = await Promise.all(sources.map((source) => source.next(size)));
  const at = sources.map(() => 0);
  for (;;) {
    const out: ReplayEntry[] = [];
    while (out.length < size) {
      let pick = -1;
      for (let i = 0; i < sources.length; i++) {
        if (at[i] === pages[i]!.length) {
          if (pages[i]!.length === 0) continue;
          pages[i] = await sources[i]!.next(size);
          at[i] = 0;
          if (pages[i]!.length === 0) continue;
        }
        if (pick < 0 || compareEvents(pages[i]![at[i]!]!, pages[pick]![at[pick]!]!) < 0) pick = i;
      }
      if (pick < 0) break;
      out.push(pages[pick]![at[pick]!++]!);
    }
    if (out.length === 0) return;
    yield out;
  }
}
