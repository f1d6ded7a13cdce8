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

/**
 * An hour folder of the log that may not be made, in a parent this user may not even search (root's 0700 folder): the
 * first mkdir of an hour folder fails with EACCES, and so does every unlink below it until the returned function.
 */
export function unsearchableHourFolder(): () => void {
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const { mkdirSync, unlinkSync } = target as Record<'mkdirSync' | 'unlinkSync', (...args: unknown[]) => unknown>;
  let refused: string | undefined;
  target.mkdirSync = (path: unknown, ...rest: unknown[]) => {
    if (refused === undefined && inHourFolder(path)) throw errnoError('EACCES', 'mkdir', (refused = path as string));
    return mkdirSync(path, ...rest);
  };
  target.unlinkSync = (path: unknown) => {
    if (refused !== undefined && typeof path === 'string' && path.startsWith(refused)) throw errnoError('EACCES', 'unlink', path);
    return unlinkSync(path);
  };
  syncBuiltinESMExports();
  return () => {
    Object.assign(target, { mkdirSync, unlinkSync });
    syncBuiltinESMExports();
  };
}
