// File-system failures other than a full disk under FsEventLog.append, injected (CI runs unprivileged, and
// root ignores file modes): an fs function failing once with an errno (EACCES, EROFS…). A read-only catalogue's
// COMMIT is append-disk-full-faults.ts's failNextCommit with SQLITE_READONLY.

import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

type FsName = 'mkdirSync' | 'openSync' | 'fdatasyncSync';

const REASONS: Record<string, string> = { EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system' };

/** An error shaped as node:fs throws it: `EACCES: permission denied, open '<path>'` with code, syscall and path. */
export const errnoError = (code: string, syscall: string, path?: string): Error =>
  Object.assign(new Error(`${code}: ${REASONS[code] ?? 'injected'}, ${syscall}${path === undefined ? '' : ` '${path}'`}`), { code, syscall, ...(path === undefined ? {} : { path }) });

/** Make fs `name` (its ESM binding too) throw `code` at its first call whose path passes `when`. */
export function failOnce(name: FsName, code: string, when: (path: unknown) => boolean = () => true): () => void {
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = target[name]!;
  let armed = true;
  target[name] = (...args: unknown[]) => {
    if (armed && when(args[0])) {
      armed = false;
      throw errnoError(code, name.replace(/Sync$/, ''), typeof args[0] === 'string' ? args[0] : undefined);
    }
    return original(...args);
  };
  syncBuiltinESMExports();
  return () => {
    target[name] = original;
    syncBuiltinESMExports();
  };
}

/** Whether `path` is in the log's hour folders (`events/…/hour=HH…`): a batch object or its folder. */
export const inHourFolder = (path: unknown): boolean => typeof path === 'string' && /[\\/]hour=\d\d/.test(path);
