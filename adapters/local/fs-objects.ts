// Where a log object's bytes are on disk (hot, restored, archived), event-file checks, and key-ordered listings.

import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { ArchivedEventError, EventNotFoundError } from '../../domain/errors.ts';
import { EVENTS_PREFIX, eventKey, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import type { LogObject } from '../../domain/ports/event-log.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';
import { ARCHIVE_CLASSES, archivePath, assertPrefix, hotPath, restoredPath, type DataDirLayout } from './layout.ts';

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

function children(roots: readonly string[], rel: string): Node[] {
  const byName = new Map<string, Node>();
  for (const root of roots) {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
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
      let size: number;
      try {
        size = statSync(join(node.root, key)).size;
      } catch {
        continue; // removed while listing
      }
      yield { key, size };
    }
  }
}

/**
 * Objects under `prefix` in key order, as S3 lists them: hot and archived objects alike (an archived object still
 * exists, it just cannot be read until restored). Restored copies are not separate objects.
 */
export async function* listObjects(layout: DataDirLayout, prefix: string): AsyncGenerator<LogObject> {
  assertPrefix(prefix);
  const effective = prefix.length < EVENTS_PREFIX.length ? EVENTS_PREFIX : prefix;
  const roots = [layout.root, ...ARCHIVE_CLASSES.map((c) => join(layout.archive, c))];
  yield* walk(roots, EVENTS_PREFIX.slice(0, -1), effective);
}
