// Where a log object's bytes are on disk (hot, restored, archived), event-file checks, and key-ordered listings.

import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { ArchivedEventError, EventNotFoundError, InvalidArgumentError } from '../../domain/errors.ts';
import { EVENT_OBJECT_SUFFIX, EVENTS_PREFIX, eventKey, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import type { EventLocation, LocatedEvent, LogObject } from '../../domain/ports/event-log.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';
import { ARCHIVE_CLASSES, archivePath, assertPrefix, hotPath, restoredPath, type DataDirLayout } from './layout.ts';
import { readOrRefuse, statOrRefuse } from './log-check-unreadable.ts';

/**
 * Path to read `key` from: the hot object, else a restored copy. Throws `ArchivedEventError` when only an archived
 * copy exists, `EventNotFoundError` when there is none.
 */
export function readablePath(layout: DataDirLayout, key: string): string {
  const hot = hotPath(layout, key);
  if (existsSync(hot)) return hot;
  const restored = restoredPath(layout, key);
  if (existsSync(restored)) return restored;
  const archived = archivedClass(layout, key);
  if (archived) throw new ArchivedEventError(key, archived);
  throw new EventNotFoundError(key);
}

/** The archive class holding `key`, if any. */
export function archivedClass(layout: DataDirLayout, key: string): StorageClass | undefined {
  return ARCHIVE_CLASSES.find((c) => existsSync(archivePath(layout, c, key)));
}

/** A file's bytes; a file that vanished (removed, archived) since it was found is `EventNotFoundError(ref)`. */
export function readWhole(path: string, ref: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new EventNotFoundError(ref, { cause: error });
  }
}

/** The bytes of a whole object (hot, else restored); throws like `readablePath`. */
export function readObjectBytes(layout: DataDirLayout, key: string): Buffer {
  return readWhole(readablePath(layout, key), key);
}

function readRange(path: string, offset: number, length: number, ref: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new EventNotFoundError(ref, { cause: error });
  }
  try {
    const buf = Buffer.allocUnsafe(length);
    return buf.toString('utf8', 0, readSync(fd, buf, 0, length, offset));
  } finally {
    closeSync(fd);
  }
}

/** The event at `location`: a whole one-event object, or one line (offset, length) of a segment. */
export function readEvent(layout: DataDirLayout, location: EventLocation): DomainEvent {
  const { key, offset, length } = location;
  const ref = offset === undefined ? key : `${key}@${offset}+${length}`;
  const path = readablePath(layout, key);
  let text: string;
  if (offset === undefined && length === undefined) {
    if (!key.endsWith(EVENT_OBJECT_SUFFIX)) throw new InvalidArgumentError('location', `${key} is a segment: give the line's offset and length`);
    text = readWhole(path, ref).toString().replace(/\n$/, '');
  } else {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset! < 0 || length! <= 0) {
      throw new InvalidArgumentError('location', `offset and length must be non-negative integers (got ${offset}, ${length})`);
    }
    text = readRange(path, offset!, length!, ref);
  }
  const event = parseEventLine(text);
  if (!event) throw new EventNotFoundError(ref, { cause: new Error('the bytes at this location are not one whole event') });
  return event;
}

/** Every event of an object with its location: `{ key }` for a one-event object, `{ key, offset, length }` per segment line. */
export function* readObjectEvents(layout: DataDirLayout, key: string): Generator<LocatedEvent> {
  const bytes = readWhole(readablePath(layout, key), key);
  const single = key.endsWith(EVENT_OBJECT_SUFFIX);
  for (const { start, end } of lineSpans(bytes)) {
    const event = parseEventLine(bytes.toString('utf8', start, end));
    if (!event) throw new EventNotFoundError(`${key}@${start}`, { cause: new Error('torn or invalid line') });
    yield { event, location: single ? { key } : { key, offset: start, length: end - start } };
  }
}

/** A line of an object's bytes: `start` to `end` (its newline, or the end of the bytes when `torn`: none follows). */
export interface LineSpan {
  readonly start: number;
  readonly end: number;
  readonly torn: boolean;
}

/** The lines of an object's bytes, in order (the one every reader of objects splits them with). */
export function* lineSpans(bytes: Buffer): Generator<LineSpan> {
  for (let start = 0; start < bytes.length; ) {
    const nl = bytes.indexOf(10, start);
    const end = nl < 0 ? bytes.length : nl;
    yield { start, end, torn: nl < 0 };
    start = end + 1;
  }
}

/** Parse one stored line into an event; undefined when the bytes are not a whole JSON object. */
export function parseEventLine(text: string): DomainEvent | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as DomainEvent) : undefined;
  } catch {
    return undefined;
  }
}

/** True when `bytes` is a complete, canonical one-event object that belongs at `key` (not a torn write). */
export function isIntactEventObject(key: string, bytes: string): boolean {
  if (!bytes.endsWith('\n') || bytes.indexOf('\n') !== bytes.length - 1) return false;
  const event = parseEventLine(bytes.slice(0, -1));
  try {
    return event !== undefined && eventKey(event) === key && serializeEvent(event) === bytes.slice(0, -1);
  } catch {
    return false;
  }
}

interface Node {
  readonly name: string;
  readonly dir: boolean;
  readonly root: string;
}

/**
 * What a listing says after a folder it cannot read: every caller would otherwise take the folder as holding no
 * objects (compaction and archive runs skipping its hour, a check reporting its events missing).
 */
const NOT_LISTED = 'the objects under it were not listed, rather than listed as none (compaction and archive runs would skip them, ' +
  'a check would report their events missing)';

function children(roots: readonly string[], rel: string): Node[] {
  const byName = new Map<string, Node>();
  for (const root of roots) {
    const folder = join(root, rel);
    const entries = readOrRefuse<Dirent[]>(folder, NOT_LISTED, () => readdirSync(folder, { withFileTypes: true }), () => []);
    for (const e of entries) {
      if (e.name.startsWith('.') || byName.has(e.name) || !(e.isDirectory() || e.isFile())) continue;
      byName.set(e.name, { name: e.name, dir: e.isDirectory(), root });
    }
  }
  // Sorting a folder by `name/` and files by `name` yields exactly the byte order of the full keys.
  const sortKey = (n: Node) => (n.dir ? `${n.name}/` : n.name);
  return [...byName.values()].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
}

async function* walk(roots: readonly string[], rel: string, prefix: string): AsyncGenerator<LogObject> {
  for (const node of children(roots, rel)) {
    const key = `${rel}/${node.name}`;
    if (node.dir) {
      const folder = `${key}/`;
      if (folder.startsWith(prefix) || prefix.startsWith(folder)) yield* walk(roots, key, prefix);
    } else if (key.startsWith(prefix)) {
      const path = join(node.root, key);
      const stats = statOrRefuse(path, NOT_LISTED);
      if (stats) yield { key, size: stats.size }; // else removed while listing
    }
  }
}

/**
 * Objects under `prefix` in key order, as S3 lists them: hot and archived objects alike (an archived object still
 * exists, it just cannot be read until restored). Restored copies are not separate objects. A folder or object this
 * process cannot read or stat (EACCES, EIO…) is a `StorageError` (STORAGE_FAILED) naming it, its owner's uid and the
 * fix, never skipped as absent; only a missing one (ENOENT, ENOTDIR: not there, or removed while listing) is.
 */
export async function* listObjects(layout: DataDirLayout, prefix: string): AsyncGenerator<LogObject> {
  assertPrefix(prefix);
  const effective = prefix.length < EVENTS_PREFIX.length ? EVENTS_PREFIX : prefix;
  const roots = [layout.root, ...ARCHIVE_CLASSES.map((c) => join(layout.archive, c))];
  yield* walk(roots, EVENTS_PREFIX.slice(0, -1), effective);
}
