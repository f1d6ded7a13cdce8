// The archive run's watermark (runLifecycle on a local runtime, `archive run`): which hours a run must look at, so that
// its cost follows what was indexed and what aged past a cutoff since the last run, not the whole history (a year of
// hours was 8,760 folder listings a run, almost all of hours archived to their final class long ago).
//
// What it says, as names in the target's CheckpointStore (dispatch.db, beside the background compaction's watermark):
// with `position` P and the cutoffs C (compact, glacier, deep; epoch seconds) of the last run that finished, every
// hour whose indexed events all sit at or below P was left as a run with cutoffs C leaves it. What the full walk does
// to an hour depends only on its events and where the cutoffs fall, and nothing undoes a run's work (compaction is
// final, classes only go colder), so a run with cutoffs C' looks at:
//   - late hours: hours of events indexed after P (an old EventTimeStamp, a backfill; an hour left hot for events not
//     dispatched yet, since P is at most the dispatch checkpoint the run started from);
//   - aged hours: hours a cutoff passed from C to C' (a daily run: a day of hours per cutoff). A policy change moves a
//     cutoff too: a shorter glacierAfterDays moves the glacier cutoff forward over every hour it now reaches; a longer
//     one moves it back, and hours already colder are never moved warmer, so those need nothing.
// Saved only by a run that did every hour: a crashed or stopped run leaves the last one, and the next run redoes its
// hours (the originals a crash left behind among them). The position is set to 0 (none) first, then the cutoffs, then
// the position: a crash between the writes leaves none, and the next run walks every hour once, as a first run does.
// An index repair renumbers positions: it forgets the watermark (checkpoint-kinds.ts); an index whose last position is
// below P (an older index.db copied back) is taken for none too.
// Why only locally: it relies on positions committed in increasing order (SqliteEventIndex's IMMEDIATE transactions).
// On AWS positions are times written by concurrent indexers, and a run walks every hour, as before.

import { hourStart } from '../domain/event.ts';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';
import type { EventIndex, IndexEntry } from '../domain/ports/event-index.ts';
import type { StorageClass } from '../domain/ports/storage.ts';
import { hoursBefore, type LifecycleHour } from './lifecycle-hours.ts';

const HOUR = 3600;
const PAGE = 5_000;

/** Every CheckpointStore name of the watermark starts with this (checkpoint-kinds.ts: an index repair forgets them). */
export const ARCHIVE_WATERMARK_PREFIX = 'archive:watermark:';
const POSITION_NAME = `${ARCHIVE_WATERMARK_PREFIX}position`;
const CUTOFFS = ['compact', 'glacier', 'deep'] as const;

/** A run's cutoffs, epoch seconds: hours that ended by `compact` are compacted, events before the others archived. */
export type LifecycleCutoffs = Readonly<Record<(typeof CUTOFFS)[number], number>>;

/** What a lifecycle run works with here. `target` 'local' with `checkpoints`: the watermark is read and saved. */
export interface WatermarkDeps {
  readonly index: EventIndex;
  readonly checkpoints?: CheckpointStore;
  readonly target?: 'local' | 'aws';
  readonly dispatchedPosition?: () => Promise<number>;
}

/** The hours a run looks at (as hoursBefore lists them), and `save`, to call once every one of them is done. */
export interface HoursToVisit {
  readonly hours: [string, LifecycleHour][];
  save(): Promise<void>;
}

/**
 * The hours of indexed objects whose events are all before `before` that a run with `cutoffs` must look at: those the
 * watermark does not vouch for (see the module comment), or all of them without one. Reads the position to save
 * first, so that every event indexed after it, meanwhile included, is late for the next run.
 */
export async function hoursToVisit(deps: WatermarkDeps, cutoffs: LifecycleCutoffs, before: number): Promise<HoursToVisit> {
  const store = deps.target === 'local' ? deps.checkpoints : undefined;
  const last = await deps.index.lastPosition();
  const position = deps.dispatchedPosition ? Math.min(last, await deps.dispatchedPosition()) : last;
  const mark = store ? await readMark(store, last) : undefined;
  const hours = mark ? await changedHours(deps.index, mark, cutoffs, before) : await hoursBefore(deps.index, before);
  return { hours, save: async () => { if (store) await saveMark(store, { position, cutoffs }); } };
}

interface Mark {
  readonly position: number;
  readonly cutoffs: LifecycleCutoffs;
}

async function readMark(store: CheckpointStore, last: number): Promise<Mark | undefined> {
  const position = await store.get(POSITION_NAME);
  if (position === 0 || position > last) return undefined;
  const [compact, glacier, deep] = await Promise.all(CUTOFFS.map((c) => store.get(`${ARCHIVE_WATERMARK_PREFIX}${c}`)));
  return { position, cutoffs: { compact: compact!, glacier: glacier!, deep: deep! } };
}

async function saveMark(store: CheckpointStore, mark: Mark): Promise<void> {
  await store.set(POSITION_NAME, 0);
  // Floored: a saved cutoff at or below the run's own only widens the next run's windows.
  for (const c of CUTOFFS) await store.set(`${ARCHIVE_WATERMARK_PREFIX}${c}`, Math.floor(mark.cutoffs[c]));
  await store.set(POSITION_NAME, mark.position);
}

/** Per hour prefix, per object key: its newest event and class (what hoursBefore reads from `objects`). */
type Seen = Map<string, Map<string, { newest: number; storageClass: StorageClass }>>;

async function changedHours(index: EventIndex, mark: Mark, cutoffs: LifecycleCutoffs, before: number): Promise<[string, LifecycleHour][]> {
  // Whole hours only (an hour read in part would misstate its objects), one past each cutoff's, an hour before too.
  const end = hourStart(before) + HOUR;
  const windows = mergeRanges(CUTOFFS.map((c) => ({ from: hourStart(mark.cutoffs[c]) - HOUR, to: Math.min(end, hourStart(cutoffs[c]) + HOUR) })));
  const seen: Seen = new Map();
  for (const w of windows) for await (const e of index.between(w)) note(seen, e);
  const late = new Set<number>();
  for (let after = mark.position, page = await index.afterPosition(after, PAGE); page.entries.length > 0; page = await index.afterPosition(after, PAGE)) {
    for (const e of page.entries) if (!windows.some((w) => e.timestamp >= w.from && e.timestamp < w.to)) late.add(hourStart(e.timestamp));
    after = page.next;
  }
  for (const h of late) if (h < before) for await (const e of index.between({ from: h, to: h + HOUR })) note(seen, e);
  const hours: [string, LifecycleHour][] = [];
  for (const [prefix, objects] of seen) {
    const hour: LifecycleHour = { newest: -Infinity, keys: [], classes: [] };
    for (const [key, o] of objects) {
      if (o.newest >= before) continue; // as objects({ before }): only objects whose events are all before it
      hour.newest = Math.max(hour.newest, o.newest);
      hour.keys.push(key);
      hour.classes.push(o.storageClass);
    }
    if (hour.keys.length > 0) hours.push([prefix, hour]);
  }
  return hours.sort(([a], [b]) => (a < b ? -1 : 1));
}

function note(seen: Seen, e: IndexEntry): void {
  const key = e.location.key;
  const prefix = key.slice(0, key.lastIndexOf('/') + 1);
  const objects = seen.get(prefix) ?? new Map<string, { newest: number; storageClass: StorageClass }>();
  const o = objects.get(key);
  objects.set(key, { newest: Math.max(o?.newest ?? -Infinity, e.timestamp), storageClass: o?.storageClass ?? e.storageClass });
  seen.set(prefix, objects);
}

/** Ranges sorted and joined where they meet or overlap, empty ones left out. */
function mergeRanges(ranges: readonly { from: number; to: number }[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const r of [...ranges].filter((r) => r.from < r.to).sort((a, b) => a.from - b.from)) {
    const tail = out[out.length - 1];
    if (tail && r.from <= tail.to) tail.to = Math.max(tail.to, r.to);
    else out.push({ ...r });
  }
  return out;
}
