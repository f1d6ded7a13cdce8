// The object files DuckDB's globs of a time range would read, listed in JS with each file's identity, so cached rows
// of an object can be checked against the file on disk before they are served.
//
// Why a listing that mirrors the globs: the columnar cache (duckdb-object-cache.ts) answers eventsBetween without
// DuckDB reading the files, and must see exactly the files the SQL path would. Anything the globs would match but
// this listing cannot vouch for (a partition folder with a non-numeric value, a symlink, a folder named like an
// object, a data dir holding `=`, which would add Hive partitions of its own) returns `undefined`: the query then
// runs as SQL.

import { readdirSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import type { TimeRange } from '../../domain/query-params.ts';
import { partitionsInRange } from './duckdb-partitions.ts';
import { dataDirLayout } from './layout.ts';

/** The glob name of each partition level, and the value it must have for the listing to vouch for it. */
const LEVELS = [['year=', /^\d{4}$/], ['month=', /^\d{2}$/], ['day=', /^\d{2}$/], ['hour=', /^\d{2}$/]] as const;
/** OBJECT_GLOB (`[!.]*[tn]`) as a regexp. */
const OBJECT_NAME = /^[^.].*[tn]$/s;
const GLOB_CHARS = /[*?[\]{}\\]/;

/** One object file of a range. */
export interface RangeFile {
  /** Absolute path, spelled as DuckDB's `filename` spells it for the glob. */
  readonly path: string;
  /** Changes whenever the file is replaced or rewritten (device, inode, size, mtime, ctime in ns). */
  readonly identity: string;
  /** The Hive partition values DuckDB reads from the path: year, month, day, hour. */
  readonly partition: readonly [string, string, string, string];
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Identity of a file, or undefined when it is gone (removed since the listing). */
export function fileIdentity(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return s.isFile() ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Every object file of `range` under the hot and restored roots of `dataDir` that `readableGlobs` would match, or
 * `undefined` when the listing cannot promise to match the globs exactly.
 */
export function rangeFiles(dataDir: string, range: TimeRange): RangeFile[] | undefined {
  const layout = dataDirLayout(dataDir);
  if (layout.root.includes('=')) return undefined;
  const out: RangeFile[] = [];
  const walk = (dir: string, level: number, values: readonly string[]): boolean => {
    for (const e of entries(dir)) {
      if (level < 3) {
        const [prefix, value] = LEVELS[level + 1]!;
        if (!e.name.startsWith(prefix)) continue;
        const v = e.name.slice(prefix.length);
        if (!e.isDirectory() || !value.test(v)) return false;
        if (!walk(join(dir, e.name), level + 1, [...values, v])) return false;
      } else if (OBJECT_NAME.test(e.name)) {
        // The cache loads files by path, where DuckDB would read these characters as a pattern.
        if (!e.isFile() || GLOB_CHARS.test(e.name)) return false;
        const path = join(dir, e.name);
        const identity = fileIdentity(path);
        // Removed between the listing and the stat: the glob would not see it either.
        if (identity !== undefined) out.push({ path, identity, partition: values as RangeFile['partition'] });
      }
    }
    return true;
  };
  for (const root of [layout.events, join(layout.restored, 'events')]) {
    for (const p of partitionsInRange(root, range)) {
      const rel = p.dir.slice(root.length + 1).split(/[\\/]/);
      const values = rel.map((segment, i) => segment.slice(LEVELS[i]![0].length));
      if (!walk(p.dir, p.level, values)) return undefined;
    }
  }
  return out;
}
