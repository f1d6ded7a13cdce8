// The file half of `checkLog`: every object under the event trees (hot, restored, archived) in key order, with the
// copies of it on disk, and what does not belong there (temp files, names outside the layout).

import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { TransientError } from '../../domain/errors.ts';
import { ARCHIVE_CLASSES, type DataDirLayout } from './layout.ts';
import { NOT_CHECKED, readOrRefuse, statOrRefuse } from './log-check-unreadable.ts';

/** Where a copy of an object lives: its storage class folder, or `restored` (a temporary readable copy). */
export type CopyPlace = 'STANDARD' | 'restored' | (typeof ARCHIVE_CLASSES)[number];

export type WalkItem =
  | { readonly type: 'object'; readonly key: string; readonly copies: Readonly<Partial<Record<CopyPlace, string>>> }
  | { readonly type: 'temp'; readonly path: string }
  | { readonly type: 'stray'; readonly path: string };

/** Folder names from `events/` down to the hour. */
const LEVELS = [/^year=\d{4}$/, /^month=\d{2}$/, /^day=\d{2}$/, /^hour=\d{2}$/];
/** Object names in an hour folder: batch objects, segments, one-event objects. */
const OBJECT_NAME = /^(batch-\d{13}\.ndjson|segment(-\d+)?\.ndjson|[a-z][a-z0-9_]{0,63}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.event)$/i;
const TEMP_PREFIX = '.tmp-';

interface Child {
  readonly dir: boolean;
  readonly places: Map<CopyPlace, string>;
}

function roots(layout: DataDirLayout): [CopyPlace, string][] {
  return [['STANDARD', layout.root], ['restored', layout.restored], ...ARCHIVE_CLASSES.map((c): [CopyPlace, string] => [c, join(layout.archive, c)])];
}

/** A folder's entries; none when it is absent (a root without this folder). One that cannot be read is refused. */
function list(path: string, consequence: string): Dirent[] {
  return readOrRefuse(path, consequence, () => readdirSync(path, { withFileTypes: true }), () => []);
}

/**
 * Walk the event trees of every place at once, one folder at a time (memory: one folder's names per level), yielding
 * objects in byte order of their keys, as index rows sort. A folder that cannot be read (EACCES…) throws
 * `StorageError` naming it, its owner and the fix, ending "so `consequence`"; only an absent one is skipped.
 */
export function* walkEventTrees(layout: DataDirLayout, consequence = NOT_CHECKED): Generator<WalkItem> {
  yield* walk(roots(layout), 'events', 0, consequence);
}

function* walk(places: [CopyPlace, string][], rel: string, depth: number, consequence: string): Generator<WalkItem> {
  const children = new Map<string, Child>();
  for (const [place, root] of places) {
    for (const e of list(join(root, rel), consequence)) {
      const path = join(root, rel, e.name);
      if (e.name.startsWith(TEMP_PREFIX) && e.isFile()) {
        yield { type: 'temp', path };
        continue;
      }
      const child = children.get(e.name) ?? { dir: e.isDirectory(), places: new Map() };
      child.places.set(place, path);
      children.set(e.name, child);
    }
  }
  const sortKey = (name: string) => (children.get(name)!.dir ? `${name}/` : name);
  for (const name of [...children.keys()].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))) {
    const child = children.get(name)!;
    const expected = depth < LEVELS.length ? child.dir && LEVELS[depth]!.test(name) : !child.dir && OBJECT_NAME.test(name);
    if (!expected) {
      for (const path of child.places.values()) yield { type: 'stray', path };
    } else if (child.dir) {
      yield* walk([...child.places.keys()].map((p): [CopyPlace, string] => [p, places.find(([q]) => q === p)![1]]), `${rel}/${name}`, depth + 1, consequence);
    } else {
      yield { type: 'object', key: `${rel}/${name}`, copies: Object.fromEntries(child.places) };
    }
  }
}

/** The copy to read: hot, else restored, else an archived one (read directly: the local tier keeps plain files). */
export function readableCopy(copies: Partial<Record<CopyPlace, string>>, readArchived: boolean): string | undefined {
  return copies.STANDARD ?? copies.restored ?? (readArchived ? copies.GLACIER ?? copies.DEEP_ARCHIVE : undefined);
}

/**
 * The bytes of an object copy the walk found; one that cannot be read is refused (`StorageError`), never skipped. One
 * gone since the walk listed it throws `TransientError`: a process moved or removed it during the check, and reading
 * on would report its events as missing though nothing was lost.
 */
export function readCopy(path: string): Buffer {
  return readOrRefuse(path, NOT_CHECKED, () => readFileSync(path), () => {
    throw new TransientError(`${path} was removed or moved while the check read the data dir (an \`eventlake archive run\` compacting or archiving its hour does so), so the log was not checked; run the check again once no archive run is going on`);
  });
}

/** The copies of the object `key` on disk, looked up by name (for an object the walk has not reached yet). */
export function copiesOf(layout: DataDirLayout, key: string): Partial<Record<CopyPlace, string>> {
  return Object.fromEntries(roots(layout).map(([place, root]) => [place, join(root, key)]).filter(([, path]) => statOrRefuse(path!, NOT_CHECKED)?.isFile()));
}

/** Temp files at the top of the data dir and in journal/ (a crash during a durable replace leaves them). */
export function tempFilesOutsideTrees(layout: DataDirLayout): string[] {
  return [layout.root, layout.journalDir].flatMap((dir) => list(dir, NOT_CHECKED).filter((e) => e.isFile() && e.name.startsWith(TEMP_PREFIX)).map((e) => join(dir, e.name)));
}
