// Waiting for an Athena query to end (AthenaEventQuery): polls with doubling waits, retries throttled polls, and stops
// a query it gives up on, so that nothing is left running and billing.

import type { AthenaClient, QueryExecution } from '@aws-sdk/client-athena';
import { GetQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { EventlakeError, QueryFailedError, TransientError } from '../../domain/errors.ts';
import { isThrottled } from './errors.ts';

/** Throttled status polls in a row retried (on the polls' doubling waits) after the SDK's own retries, before giving up. */
export const THROTTLED_POLL_RETRIES = 4;

/** How to wait: the client, the clock and sleep, the timeout and the poll waits (ms). */
export interface QueryWait {
  readonly client: AthenaClient;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly timeoutMs: number;
  readonly firstPollMs: number;
  readonly maxPollMs: number;
}

/**
 * The execution of query `id` once it SUCCEEDED. Throws QueryFailedError when it FAILED or was CANCELLED, or did not
 * end within the timeout; on any failure but those two ends (timeout, a poll refused, throttling past the retries) the
 * query is stopped first, best-effort, and the failure thrown is the one that made it stop.
 */
export async function waitForQuery(w: QueryWait, id: string): Promise<QueryExecution> {
  let execution: QueryExecution;
  try {
    execution = await untilEnded(w, id);
  } catch (error) {
    // Athena runs (and bills) a query nobody polls any more until the workgroup's own limit.
    await w.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
    throw error;
  }
  const state = execution.Status?.State;
  if (state === 'SUCCEEDED') return execution;
  const reason = execution.Status?.StateChangeReason ?? execution.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
  throw new QueryFailedError(`Athena query ${id} ${state}: ${reason}`);
}

/** The execution once SUCCEEDED, FAILED or CANCELLED. */
async function untilEnded(w: QueryWait, id: string): Promise<QueryExecution> {
  const started = w.now();
  let delay = w.firstPollMs;
  let throttled = 0;
  for (;;) {
    const execution = await athenaCall('polling the query', async () =>
      (await w.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution ?? {})
      .catch((error: unknown) => {
        if (error instanceof TransientError && ++throttled <= THROTTLED_POLL_RETRIES) return undefined;
        throw error;
      });
    if (execution) throttled = 0;
    const state = execution?.Status?.State;
    if (execution && (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED')) return execution;
    if (w.now() - started >= w.timeoutMs) {
      throw new QueryFailedError(`Athena query ${id} did not finish within ${w.timeoutMs} ms (still ${state ?? 'unknown'}); it was stopped`);
    }
    await w.sleep(delay);
    delay = Math.min(delay * 2, w.maxPollMs);
  }
}

/** Runs one Athena call. SDK errors never leave the adapter: throttling is worth a retry (TransientError), the rest is a failed query. */
export async function athenaCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof EventlakeError) throw error;
    const message = `Athena: ${what} failed: ${(error as Error).message}`;
    throw isThrottled(error) ? new TransientError(message, { cause: error }) : new QueryFailedError(message, { cause: error });
  }
}
