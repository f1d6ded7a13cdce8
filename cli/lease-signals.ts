// What SIGINT/SIGTERM do while a command holds a lease (a rebuild's, an archive run's) or verifies: free the leases,
// then exit 130/143. Long local folds take a loop turn between batches (projections/loop-turn.ts) so that a signal is
// handled before they finish.
//
// Why: an interrupted run keeps what it did (a rebuild its generation, an archive run its compacted hours, crash-safe
// either way), but a lease left behind would refuse the next run for the lease's minutes. And a SQLite replay or a
// verification's fold never waits on the event loop: without a turn once a batch, the signal waited until the
// command had finished (and promoted), then it exited 0.

import { releaseHeldLeases } from '../projections/lease.ts';

/**
 * Until the returned function is called, SIGINT or SIGTERM frees every lease this process holds, writes
 * `eventlake: interrupted (SIGINT): <kept>` to stderr, and exits with 128 + the signal's number (130, 143), as a
 * shell reports an interrupted command. `kept` tells the operator what the run keeps and how to go on: an exit code
 * alone left them guessing whether to start over. A function is asked when the signal arrives, for a command whose
 * phases keep different things (a rebuild's replay an unfinished generation, its verification a finished one).
 *
 * @example
 * const stop = releaseLeasesOnSignal('hours compacted so far are kept; run the same eventlake archive run again to finish');
 * try { await runLifecycle(deps, options); } finally { stop(); }
 */
export function releaseLeasesOnSignal(kept: string | (() => string)): () => void {
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`eventlake: interrupted (${signal}): ${typeof kept === 'string' ? kept : kept()}\n`);
    void releaseHeldLeases().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  return () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  };
}
