// The local data directory layout shared by every adapters/local module: where each file lives, and its permissions.

import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { EVENTS_PREFIX } from '../../domain/event.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';

/** Directories of the data dir: owner only (events may hold personal data). */
export const DIR_MODE = 0o700;
/** Files of the data dir: owner read/write only. */
export const FILE_MODE = 0o600;

/** Default data dir when neither `--data-dir` nor EVENTLAKE_DATA_DIR is given. */
export const DEFAULT_DATA_DIR = './.eventlake';

/** Storage classes that have a folder under `archive/`. */
export const ARCHIVE_CLASSES = ['GLACIER', 'DEEP_ARCHIVE'] as const satisfies readonly StorageClass[];
export type ArchiveClass = (typeof ARCHIVE_CLASSES)[number];

/** Every path of one data directory (absolute). */
export interface DataDirLayout {
  readonly root: string;
  /** Hot objects: a key `events/year=…/x.event` lives at `<root>/events/year=…/x.event`. */
  readonly events: string;
  readonly journalDir: string;
  /**
   * FsEventLog's ingest journal (write-ahead log of stored events, in ingestion order): its first segment, from
   * offset 0. Later segments are `ingest-<start offset>.log` beside it (JournalSegments); old ones are deleted.
   */
  readonly ingestJournal: string;
  /** FsEventLog's durable "journal materialized up to byte N" marker. */
  readonly materializedMarker: string;
  /** FsEventLog's identity catalogue (SqliteLogCatalogue), rebuilt from the journal when lost, while it has every segment. */
  readonly logCatalogue: string;
  /** Temporary restored copies: `<root>/restored/<key>`. */
  readonly restored: string;
  /** Archived bytes: `<root>/archive/<class>/<key>`. */
  readonly archive: string;
  readonly indexDb: string;
  readonly projectionsDb: string;
  readonly dispatchDb: string;
  readonly snapshots: string;
  readonly archiveDb: string;
}

/**
 * Paths of a data directory.
 *
 * @example
 * const l = dataDirLayout('./.eventlake');
 * new SqliteEventIndex(l.indexDb);
 */
export function dataDirLayout(dataDir: string): DataDirLayout {
  const root = resolve(dataDir);
  const journalDir = join(root, 'journal');
  return {
    root,
    events: join(root, 'events'),
    journalDir,
    ingestJournal: join(journalDir, 'ingest.log'),
    materializedMarker: join(journalDir, 'materialized'),
    logCatalogue: join(journalDir, 'catalogue.db'),
    restored: join(root, 'restored'),
    archive: join(root, 'archive'),
    indexDb: join(root, 'index.db'),
    projectionsDb: join(root, 'projections.db'),
    dispatchDb: join(root, 'dispatch.db'),
    snapshots: join(root, 'snapshots'),
    archiveDb: join(root, 'archive.db'),
  };
}

/** Data dir from an explicit option, else EVENTLAKE_DATA_DIR, else `./.eventlake`. */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(explicit ?? env['EVENTLAKE_DATA_DIR'] ?? DEFAULT_DATA_DIR);
}

// Keys come from validated ids upstream; this is defence in depth so no key can name a file outside the data dir.
const SEGMENT = /^[A-Za-z0-9=_.-]+$/;
/** Longest path segment of a key (ASCII, so characters = bytes). */
const MAX_SEGMENT_LENGTH = 200;

/**
 * Throws `InvalidArgumentError` unless `key` is a plain log key: `events/…`, relative, `/`-separated segments of
 * `[A-Za-z0-9=_.-]`, none empty, `.` or `..`, and no segment starting with `.` (temp files use that).
 */
export function assertKey(key: string, argument = 'key'): void {
  if (typeof key !== 'string' || !key.startsWith(EVENTS_PREFIX) || key.length > 1024) {
    throw new InvalidArgumentError(argument, `"${String(key)}" is not a log key (it must start with "${EVENTS_PREFIX}")`);
  }
  for (const part of key.split('/')) {
    if (!SEGMENT.test(part) || part.startsWith('.')) {
      throw new InvalidArgumentError(argument, `"${key}" has an unsafe path segment "${part}"`);
    }
    // File names stop at 255 bytes (NAME_MAX) and temp files add `.tmp-<pid>-<n>-`: a longer name would fail only
    // after FsEventLog journaled it, and every later recovery would fail on that line too.
    if (part.length > MAX_SEGMENT_LENGTH) {
      throw new InvalidArgumentError(argument, `a path segment of "${key.slice(0, 80)}…" is ${part.length} characters long (at most ${MAX_SEGMENT_LENGTH})`);
    }
  }
}

/** Throws `InvalidArgumentError` unless `prefix` is empty or a safe start of a key (`events/year=2024/mo` is fine). */
export function assertPrefix(prefix: string): void {
  if (prefix === '' || EVENTS_PREFIX.startsWith(prefix)) return;
  const probe = prefix.endsWith('/') ? `${prefix}x` : prefix;
  assertKey(probe, 'prefix');
}

/** Absolute path of `key` under `base`, after checking the key; also checks the result stays inside `base`. */
export function keyPath(base: string, key: string): string {
  assertKey(key);
  const p = join(base, ...key.split('/'));
  if (isAbsolute(key) || !p.startsWith(base + sep)) throw new InvalidArgumentError('key', `"${key}" escapes the data directory`);
  return p;
}

/** Path of a hot (STANDARD) object. */
export function hotPath(layout: DataDirLayout, key: string): string {
  return keyPath(layout.root, key);
}

/** Path of a restored temporary copy. */
export function restoredPath(layout: DataDirLayout, key: string): string {
  return keyPath(layout.restored, key);
}

/** Path of an archived object in `storageClass`. */
export function archivePath(layout: DataDirLayout, storageClass: ArchiveClass, key: string): string {
  if (!(ARCHIVE_CLASSES as readonly string[]).includes(storageClass)) {
    throw new InvalidArgumentError('storageClass', `"${storageClass}" has no archive folder (use ${ARCHIVE_CLASSES.join(' or ')})`);
  }
  return keyPath(join(layout.archive, storageClass), key);
}

/** Create a directory (and parents) with mode 0700. */
export async function ensureDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: DIR_MODE });
}

/** Synchronous `ensureDir`, for constructors that open databases. */
export function ensureDirSync(path: string): void {
  mkdirSync(path, { recursive: true, mode: DIR_MODE });
}
