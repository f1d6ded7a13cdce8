// A read-only or foreign-owned data dir, injected (no mount, no root: CI is unprivileged, and root ignores file modes):
// fs calls failing with EROFS/EACCES for chosen paths, and fake uids for the running user and file owners.

import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { accessIdentity } from '../../../adapters/local/data-dir-access.ts';

type FsName = 'openSync' | 'accessSync' | 'readFileSync' | 'mkdirSync';

/** Make `fs[name]` (its ESM binding too) throw errno `code` for the paths `when` picks, until the returned function runs. */
export function failFs(name: FsName, code: string, when: (path: string) => boolean): () => void {
  const target = fs as unknown as Record<FsName, (...args: unknown[]) => unknown>;
  const original = target[name];
  target[name] = (...args: unknown[]) => {
    const path = String(args[0]);
    if (when(path)) throw Object.assign(new Error(`${code}: injected, ${name} '${path}'`), { code, syscall: name.replace('Sync', ''), path });
    return original(...args);
  };
  syncBuiltinESMExports();
  return () => {
    target[name] = original;
    syncBuiltinESMExports();
  };
}

/** Pretend eventlake runs as `running` and files are owned as `ownerOf` says, until the returned function runs. */
export function fakeUids(running: number, ownerOf: (path: string) => number): () => void {
  const saved = { ...accessIdentity };
  accessIdentity.runningUid = () => running;
  accessIdentity.ownerOf = ownerOf;
  return () => Object.assign(accessIdentity, saved);
}

/** Every file and folder under `dir` with its size and mtime: equal before and after when nothing changed. */
export function snapshotOf(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort().map((p) => {
    const s = fs.statSync(`${dir}/${p}`);
    return `${p} ${s.size} ${s.mtimeMs}`;
  });
}
