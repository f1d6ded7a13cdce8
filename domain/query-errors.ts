// Errors of a query over the log that are not the engine's failure: it ran out of the time it was given.

import { EventlakeError } from './eventlake-error.ts';

/**
 * A query ran longer than the time limit it was given and was stopped (the engine interrupted): nothing was returned.
 * `limit` is how the caller gave it (`--timeout`), named in the message with the fix.
 */
export class QueryTimeoutError extends EventlakeError {
  readonly code = 'QUERY_TIMEOUT';
  constructor(readonly seconds: number, readonly limit = 'timeout', options?: { cause?: unknown }) {
    super(`${limit}: the query ran longer than ${seconds} s and was stopped, so no rows were returned: give ${limit} more seconds, ` +
      'or narrow the query (a WHERE on EventTimeStamp, --since/--until, fewer joins)', options);
  }
}
