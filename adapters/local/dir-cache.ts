// Per-process knowledge of the log's folders and of the objects this process created, and creating an object once.

import { dirname } from 'node:path';
import { createOnce } from './durable-fs.ts';
import { ensureDirSync } from './layout.ts';

const MAX_REMEMBERED = 100_000;

/**
 * Per-process knowledge of the log's files: folders created once (a folder removed behind our back is recreated on
 * ENOENT), and the event files this process created itself and no checkpoint has settled yet.
 */
export class DirCache {
  private readonly known = new Set<string>();
  private readonly created = new Set<string>();
  ensure(dir: string): void {
    if (this.known.has(dir)) return;
    ensureDirSync(dir);
    this.known.add(dir);
  }
  forget(dir: string): void {
    this.known.delete(dir);
  }
  /** `path` was just published by link() of a complete temp file holding its journal line's bytes. */
  markCreated(path: string): void {
    if (this.created.size >= MAX_REMEMBERED) this.created.clear();
    this.created.add(path);
  }
  createdHere(path: string): boolean {
    return this.created.has(path);
  }
  /** Forget a created file (settled by a checkpoint, or removed). */
  settled(path: string): void {
    this.created.delete(path);
  }
}

/**
 * Create the object at `path` once (createOnce, or `create` when given); recreates a vanished folder and retries.
 */
export function createEventObject(dirs: DirCache, path: string, bytes: string | Buffer, create: typeof createOnce = createOnce): 'created' | 'exists' {
  dirs.ensure(dirname(path));
  let outcome: 'created' | 'exists';
  try {
    outcome = create(path, bytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    dirs.forget(dirname(path));
    dirs.ensure(dirname(path));
    outcome = create(path, bytes);
  }
  if (outcome === 'created') dirs.markCreated(path);
  return outcome;
}
