// The QUERY_FAILED error of a local query: the engine's or the file system's words, and when a folder or file of the
// data dir could not be read for lack of permission, that path and the fix (a query cannot succeed until it is).

import { QueryFailedError } from '../../domain/errors.ts';
import { errnoOf, UNREADABLE_FIX, unreadableDetail } from './log-check-unreadable.ts';

/** DuckDB's own wording of a file it may not open: `Cannot open file "<path>": Permission denied`. */
const DUCKDB_DENIED = /"([^"]+)":?\s*Permission denied/i;

/**
 * `QueryFailedError` for `error`, its message after `what` ("DuckDB query failed"). A permission error (EACCES, EPERM,
 * from a listing of the partitions or from DuckDB reading a file) names the path, its owner's uid and the fix.
 */
export function queryFailed(what: string, error: unknown): QueryFailedError {
  const message = (error as Error).message;
  const path = (error as { path?: unknown }).path;
  const errno = errnoOf(error);
  if ((errno === 'EACCES' || errno === 'EPERM') && typeof path === 'string') {
    return new QueryFailedError(`${what}: ${path} cannot be read ${unreadableDetail(path, error)}, so the query did not run. ${UNREADABLE_FIX}`, { cause: error });
  }
  const denied = DUCKDB_DENIED.exec(message);
  if (denied) return new QueryFailedError(`${what}: ${message}; ${denied[1]} cannot be read by this user, so the query did not run. ${UNREADABLE_FIX}`, { cause: error });
  return new QueryFailedError(`${what}: ${message}`, { cause: error });
}
