// The catalogue's events_to_replay, evaluated over cached object rows instead of by DuckDB: the same range
// predicate, copy dedup, filters and order, with the same parameter values.
//
// Why in JS: DuckDB runs the query in ≈ 70-150 ms for 100k events and handing 100k rows of strings to JS costs
// ≈ 1 µs per string; the cached rows are already sorted JS strings, so a range is a binary search per file.
// tests/adapters/local/duckdb-events-to-replay.test.ts checks it against the SQL on the same files.

import type { QueryValue } from '../../domain/query-catalogue.ts';
import { before, type CachedObject } from './duckdb-object-cache.ts';
import type { RangeFile } from './duckdb-range-files.ts';

/** One file of the range with its cached rows, and whether another row of the cache may hold one of its events. */
export interface ScanFile {
  readonly file: RangeFile;
  readonly rows: CachedObject;
  readonly shared: boolean;
}

/** The output columns of events_to_replay. */
export const REPLAY_COLUMNS = ['event_id', 'event_type', 'event_time', 'object_key'] as const;

interface Run { readonly f: ScanFile; readonly lo: number; readonly hi: number }

type ReplayRow = Readonly<Record<string, unknown>>;

/**
 * The output row of each cached row, made once per cached file and shared by every query that returns it (frozen, so
 * no caller can change a later answer). Why: a warm query of 100k events allocated 100k fresh row objects, and
 * collecting them made its latency swing from ≈ 8 to ≈ 45 ms with the heap's state; now it allocates one array.
 */
const ROWS = new WeakMap<CachedObject, readonly ReplayRow[]>();

function replayRows(rows: CachedObject): readonly ReplayRow[] {
  let made = ROWS.get(rows);
  if (made === undefined) {
    const { ids, types, times, objectKey } = rows;
    made = Array.from(ids, (id, i) => Object.freeze({ event_id: id, event_type: types[i], event_time: times[i], object_key: objectKey }));
    ROWS.set(rows, made);
  }
  return made;
}

function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// DuckDB compares VARCHARs by bytes; UTF-16 order differs from it only beyond the BMP, so compare as UTF-8 then.
function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** copy_rank of the catalogue: segments (`…/segment….ndjson`, as SQL's LIKE '%/segment%.ndjson') first, then by path. */
const SEGMENT_PATH = /\/segment[^/]*\.ndjson$/s;
function copyRank(a: RangeFile, b: RangeFile): number {
  const sa = SEGMENT_PATH.test(a.path) ? 0 : 1;
  const sb = SEGMENT_PATH.test(b.path) ? 0 : 1;
  return sa !== sb ? sa - sb : comparePaths(a.path, b.path);
}

/**
 * Rows of events_to_replay over `files`, given the query's bound values
 * (`rangeValues(range)`, then type list twice, account list three times, as `eventsToReplay.bind` makes them).
 */
export function eventsToReplay(files: readonly ScanFile[], values: readonly QueryValue[]): ReplayRow[] {
  const [y1, y2, k1, k2, from, to, types, , accounts] = values as [string, string, string, string, number, number, string, string, string];
  // The range predicate: the partition terms are per file, the time term a slice of its sorted rows.
  const runs: Run[] = [];
  for (const f of files) {
    const [year, month, day, hour] = f.file.partition;
    const key = year + month + day + hour;
    if (year < y1 || year > y2 || key < k1 || key > k2) continue;
    const lo = lowerBound(f.rows.times, from);
    const hi = lowerBound(f.rows.times, to);
    if (lo < hi) runs.push({ f, lo, hi });
  }

  // Copy dedup: only rows of files that may share an event with another file can lose to a copy.
  const losers = new Set<string>();
  const dedup = runs.filter((r) => r.f.shared);
  if (dedup.length > 1 || dedup.some((r) => new Set(r.f.rows.ids.slice(r.lo, r.hi)).size < r.hi - r.lo)) {
    const best = new Map<string, { f: ScanFile; i: number }>();
    for (const r of dedup) {
      for (let i = r.lo; i < r.hi; i++) {
        // Identity is (EventType, RequestId); event ids of two identities can coincide, so key by both.
        const identity = JSON.stringify([r.f.rows.types[i], r.f.rows.ids[i]]);
        const seen = best.get(identity);
        if (seen === undefined) best.set(identity, { f: r.f, i });
        else if (copyRank(r.f.file, seen.f.file) < 0) losers.add(`${seen.f.file.path}\n${seen.i}`), best.set(identity, { f: r.f, i });
        else losers.add(`${r.f.file.path}\n${i}`);
      }
    }
  }

  // Filters, as strpos over ',a,b,'.
  const keep = (rows: CachedObject, i: number): boolean =>
    (types === '' || types.includes(`,${rows.types[i]},`)) &&
    (accounts === '' || accounts.includes(`,${rows.sources[i] ?? ''},`) || accounts.includes(`,${rows.targets[i] ?? ''},`));
  const filtered = types !== '' || accounts !== '';

  // Order: each run is sorted. Runs sorted by their first row are concatenated; only where runs overlap (batch
  // objects of one hour written by concurrent emitters, a copy beside its segment) are their rows sorted, together.
  runs.sort((a, b) => before(a.f.rows.times[a.lo]!, a.f.rows.ids[a.lo]!, b.f.rows.times[b.lo]!, b.f.rows.ids[b.lo]!));
  const out: ReplayRow[] = [];
  const byOrder = (a: ReplayRow, b: ReplayRow) =>
    before(a['event_time'] as number, a['event_id'] as string, b['event_time'] as number, b['event_id'] as string);
  let clusterStart = 0;
  let clusterSorted = true;
  let lastTime = Number.NEGATIVE_INFINITY;
  let lastId = '';
  const closeCluster = () => {
    if (!clusterSorted) {
      const sorted = out.slice(clusterStart).sort(byOrder);
      for (let k = 0; k < sorted.length; k++) out[clusterStart + k] = sorted[k]!;
    }
    clusterStart = out.length;
    clusterSorted = true;
  };
  for (const { f, lo, hi } of runs) {
    const rows = f.rows;
    const { ids, times } = rows;
    const made = replayRows(rows);
    if (before(times[lo]!, ids[lo]!, lastTime, lastId) < 0) clusterSorted = false;
    else closeCluster();
    if (before(times[hi - 1]!, ids[hi - 1]!, lastTime, lastId) > 0) lastTime = times[hi - 1]!, lastId = ids[hi - 1]!;
    if (!filtered && !(losers.size > 0 && f.shared)) {
      for (let i = lo; i < hi; i++) out.push(made[i]!);
      continue;
    }
    for (let i = lo; i < hi; i++) {
      if (losers.size > 0 && f.shared && losers.has(`${f.file.path}\n${i}`)) continue;
      if (filtered && !keep(rows, i)) continue;
      out.push(made[i]!);
    }
  }
  closeCluster();
  return out;
}
