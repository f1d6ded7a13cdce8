// Columnar cache of the log's object files for eventsBetween: per file, the fields events_to_replay reads, sorted
// in replay order, checked against the file's identity on every query.
//
// Why: objects are write-once (segments and one-event objects are never edited in place), yet every query made
// DuckDB parse their JSON again (≈ 0.4 s for 100k events) and hand each value to JS one by one (≈ 1 µs per string).
// Here a file is parsed once, by DuckDB with the view's schema (so the same bytes give the same values or the same
// error), and a range is then answered from memory. A file whose identity changed (rewritten, replaced) is parsed
// again; a removed one is no longer listed, so it is no longer read.

/** The rows of one object file, sorted by (EventTimeStamp, event id). */
export interface CachedObject {
  readonly identity: string;
  /** regexp_extract("$path", OBJECT_KEY_PATTERN). */
  readonly objectKey: string;
  readonly times: Float64Array;
  readonly ids: readonly string[];
  readonly types: readonly string[];
  readonly sources: readonly (string | null)[];
  readonly targets: readonly (string | null)[];
  /**
   * Whether every row can be answered from JS with SQL's exact results: no NULL EventType, RequestId or
   * EventTimeStamp, a timestamp that is a safe integer, ASCII ids (so JS string order is DuckDB's byte order).
   */
  readonly exact: boolean;
}

/** Raw rows of one file as DuckDB read them, in any order. */
export interface LoadedRows {
  readonly types: readonly (string | null)[];
  readonly requestIds: readonly (string | null)[];
  readonly times: readonly (bigint | number | null)[];
  readonly sources: readonly (string | null)[];
  readonly targets: readonly (string | null)[];
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Sorts one file's rows into a CachedObject. */
export function cachedObject(identity: string, objectKey: string, rows: LoadedRows): CachedObject {
  const n = rows.types.length;
  let exact = true;
  const ids: string[] = new Array(n);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const type = rows.types[i];
    const requestId = rows.requestIds[i];
    const t = rows.times[i];
    if (type == null || requestId == null || t == null) {
      exact = false;
      ids[i] = '';
      times[i] = Number.NaN;
      continue;
    }
    const time = Number(t);
    if (!Number.isSafeInteger(time)) exact = false;
    ids[i] = `${type}_${requestId}`;
    if (NON_ASCII.test(ids[i]!)) exact = false;
    times[i] = time;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = before(times[i - 1]!, ids[i - 1]!, times[i]!, ids[i]!) <= 0;
  if (!sorted) order.sort((a, b) => before(times[a]!, ids[a]!, times[b]!, ids[b]!));
  const pick = <T>(list: readonly T[]): T[] => (sorted ? [...list] : order.map((i) => list[i]!));
  return {
    identity, objectKey, exact,
    times: sorted ? times : Float64Array.from(order, (i) => times[i]!),
    ids: pick(ids), types: pick(rows.types as string[]), sources: pick(rows.sources), targets: pick(rows.targets),
  };
}

/** Replay order: (time, id); ids compared as ASCII, which is byte order. */
export function before(ta: number, ia: string, tb: number, ib: string): number {
  return ta !== tb ? ta - tb : ia < ib ? -1 : ia > ib ? 1 : 0;
}

/**
 * Files' cached rows by path, least recently used first, holding at most `maxRows` rows. Ids are counted across
 * the cached files so that a query knows which of its files may hold a copy of another's event and need the copy
 * dedup: whenever an id is held twice (two files, or twice in one), every file holding it is marked `shared`.
 */
export class ObjectCache {
  private readonly files = new Map<string, CachedObject>();
  /**
   * Per id: the path of the one file holding it, or how many rows hold it once a second one arrived (from then
   * on every holder is marked shared, so the count alone is enough). One map, not two: it costs ≈ 50 bytes a row.
   */
  private readonly holders = new Map<string, string | number>();
  private readonly shared = new Set<string>();
  private rows = 0;

  constructor(private readonly maxRows: number) {}

  /** The cached rows of `path` if they were read from the file as it is now (`identity`). */
  get(path: string, identity: string): CachedObject | undefined {
    const hit = this.files.get(path);
    if (hit === undefined || hit.identity !== identity) return undefined;
    this.files.delete(path);
    this.files.set(path, hit);
    return hit;
  }

  set(path: string, object: CachedObject): void {
    this.delete(path);
    this.files.set(path, object);
    this.rows += object.ids.length;
    for (const id of object.ids) {
      const held = this.holders.get(id);
      if (held === undefined) {
        this.holders.set(id, path);
        continue;
      }
      this.shared.add(path);
      if (typeof held === 'string') this.shared.add(held);
      this.holders.set(id, typeof held === 'string' ? 2 : held + 1);
    }
  }

  /** Whether some row of `path` may be held by another row of the cache (so the copy dedup must look at it). */
  isShared(path: string): boolean {
    return this.shared.has(path);
  }

  /** Drop the least recently used files until at most maxRows rows are cached. */
  trim(): void {
    for (const path of this.files.keys()) {
      if (this.rows <= this.maxRows) return;
      this.delete(path);
    }
  }

  get size(): { files: number; rows: number } {
    return { files: this.files.size, rows: this.rows };
  }

  // Marks of other files stay: a file marked shared only costs a dedup pass, never a wrong answer.
  private delete(path: string): void {
    const old = this.files.get(path);
    if (old === undefined) return;
    this.files.delete(path);
    this.shared.delete(path);
    this.rows -= old.ids.length;
    for (const id of old.ids) {
      const held = this.holders.get(id);
      if (typeof held === 'number' && held > 1) this.holders.set(id, held - 1);
      else this.holders.delete(id);
    }
  }
}
