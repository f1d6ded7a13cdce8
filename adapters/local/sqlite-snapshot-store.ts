// SqliteSnapshotStore: snapshots of projection generations as SQLite files under snapshots/<projection>/, with JSON sidecars.
//
// A snapshot is `<id>.db` (the projection store's consistent export of one generation) plus `<id>.json` (its
// SnapshotInfo). Both are written to dot-named temp files, fsynced and renamed; the sidecar comes last and is the
// commit mark, so a crash mid-take leaves at most an unlisted `.db` and never a listed snapshot without its data.
// Removing goes the other way round for the same reason: the sidecar first, so a crash between the two deletes
// leaves the same unlisted `.db` a crashed take does, never a listed snapshot whose data is gone.

import { namingCommands } from '../../domain/command-spelling.ts';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EventlakeError, InvalidArgumentError } from '../../domain/errors.ts';
import type { SnapshotInfo, SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import { assertKnownProjection } from '../../projections/known-projection.ts';
import { fsyncPath, removeStaleTemps, tempPathFor } from './durable-fs.ts';
import { removeSnapshotLeftovers, type SnapshotLeftover } from './snapshot-leftovers.ts';
import { FILE_MODE, dataDirLayout, ensureDir } from './layout.ts';
import { asStorageFull, isDiskFailure } from './storage-full.ts';

/** What the snapshot store needs of the projection store (SqliteProjectionStore offers both). */
export interface GenerationFiles {
  /** Write a consistent copy of one generation into a new file. */
  exportGeneration(name: string, generation: number, file: string): Promise<void>;
  /** Fill an empty generation from such a file. */
  importGeneration(file: string, name: string, generation: number): Promise<void>;
}

export interface SqliteSnapshotStoreOptions {
  readonly dataDir: string;
  readonly store: GenerationFiles;
  /** Wall clock, epoch ms: `takenAt` of new snapshots. */
  readonly now?: () => number;
  /**
   * Names of the projections snapshots may be of; another is refused (`InvalidArgumentError` on `projection`), creating
   * nothing. Without it any well-formed name is taken.
   */
  readonly projections?: readonly string[];
}

const NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const ID = /^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{6}$/;

/**
 * Local snapshots.
 *
 * @example
 * const snapshots = new SqliteSnapshotStore({ dataDir: '.eventlake', store });
 * const snap = await snapshots.take('balances', await store.liveGeneration('balances'), await local.dispatchedPosition());
 * const base = await snapshots.latestAtOrBefore('balances', Date.parse('2024-03-01T00:00:00Z'));
 * if (base) await snapshots.restore(base, await store.createGeneration('balances'));
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly root: string;
  private readonly now: () => number;

  constructor(private readonly options: SqliteSnapshotStoreOptions) {
    this.root = dataDirLayout(options.dataDir).snapshots;
    this.now = options.now ?? Date.now;
  }

  async take(projection: string, generation: number, highWaterMark: number): Promise<SnapshotInfo> {
    const dir = this.dirOf(projection);
    await ensureDir(dir);
    const takenAt = this.now();
    const id = `${new Date(takenAt).toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
    removeStaleTemps(dir);
    const files = [tempPathFor(join(dir, `${id}.db`)), join(dir, `${id}.db`), tempPathFor(join(dir, `${id}.json`))] as const;
    let info: SnapshotInfo;
    try {
      info = await this.write({ id, projection, generation, takenAt, highWaterMark }, dir, files);
    } catch (error) {
      // Nothing of a failed take stays: the sidecar is renamed last, so none of these is listed yet.
      await Promise.all(files.map((f) => unlink(f).catch(() => undefined)));
      throw asStorageFull(diskCause(error), `taking a snapshot of ${projection}`, dir, 'nothing of this snapshot was kept');
    }
    await fsyncPath(dir);
    return info;
  }

  /** The data file (exported to `tmp`, fsynced, renamed to `db`), then its sidecar (via `sidecar`), the commit mark. */
  private async write(base: Omit<SnapshotInfo, 'bytes'>, dir: string, [tmp, db, sidecar]: readonly [string, string, string]): Promise<SnapshotInfo> {
    await this.options.store.exportGeneration(base.projection, base.generation, tmp);
    await fsyncPath(tmp);
    await rename(tmp, db);
    const info: SnapshotInfo = { ...base, bytes: (await stat(db)).size };
    await writeFile(sidecar, `${JSON.stringify(info, null, 2)}\n`, { mode: FILE_MODE, flag: 'wx' });
    await fsyncPath(sidecar);
    await rename(sidecar, join(dir, `${base.id}.json`));
    return info;
  }

  async list(projection: string): Promise<SnapshotInfo[]> {
    const dir = this.dirOf(projection);
    const names: string[] = await readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
    const infos: SnapshotInfo[] = [];
    for (const name of names) {
      if (name.startsWith('.') || !name.endsWith('.json') || !names.includes(name.replace(/\.json$/, '.db'))) continue;
      infos.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as SnapshotInfo);
    }
    return infos.sort((a, b) => a.takenAt - b.takenAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async latestAtOrBefore(projection: string, atMs: number): Promise<SnapshotInfo | undefined> {
    return (await this.list(projection)).filter((s) => s.takenAt <= atMs).at(-1);
  }

  async restore(snapshot: SnapshotInfo, generation: number): Promise<void> {
    if (!ID.test(snapshot.id)) throw new InvalidArgumentError('snapshot', `"${snapshot.id}" is not a snapshot id of this store`);
    const file = join(this.dirOf(snapshot.projection), `${snapshot.id}.db`);
    if (!(await stat(file).then(() => true, () => false))) {
      throw namingCommands((spell) => new InvalidArgumentError('snapshot', `no snapshot ${snapshot.id} of ${snapshot.projection} (see: ${spell('snapshot', 'list')})`));
    }
    await this.options.store.importGeneration(file, snapshot.projection, generation);
  }

  async remove(snapshot: SnapshotInfo): Promise<void> {
    if (!ID.test(snapshot.id)) throw new InvalidArgumentError('snapshot', `"${snapshot.id}" is not a snapshot id of this store`);
    const dir = this.dirOf(snapshot.projection);
    await unlinkIfThere(join(dir, `${snapshot.id}.json`));
    // The un-listing must be on disk before the data goes, or a crash could bring back a sidecar without its file.
    await fsyncPath(dir);
    await unlinkIfThere(join(dir, `${snapshot.id}.db`));
    await fsyncPath(dir);
  }

  /** Data files without a sidecar, last written over an hour ago (snapshot-leftovers.ts says why the hour). */
  removeLeftovers(projection: string): Promise<SnapshotLeftover[]> {
    return removeSnapshotLeftovers(this.dirOf(projection), this.now(), ID);
  }

  private dirOf(projection: string): string {
    if (!NAME.test(projection)) throw new InvalidArgumentError('projection', `"${projection}" is not a projection name (lower-case letters, digits, _ and -)`);
    if (this.options.projections) assertKnownProjection(this.options.projections, projection);
    return join(this.root, projection);
  }
}

/** The disk failure under an error the projection store already typed (its copy failing), else the error itself. */
function diskCause(error: unknown): unknown {
  return error instanceof EventlakeError && isDiskFailure(error.cause) ? error.cause : error;
}

async function unlinkIfThere(file: string): Promise<void> {
  await unlink(file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
}
