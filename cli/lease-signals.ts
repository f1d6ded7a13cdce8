// What SIGINT/SIGTERM do while a command holds a lease (a rebuild's, an archive run's): free it, then exit 130/143.
//
// Why: an interrupted run keeps what it did (a rebuild its generation, an archive run its compacted hours, crash-safe
// either way), but a lease left behind would refuse the next run for the lease's minutes.

import { releaseHeldLeases } from '../projections/lease.ts';

/**
 * Until the returned function is called, SIGINT or SIGTERM frees every lease this process holds and exits with
 * 128 + the signal's number (130, 143), as a shell reports an interrupted command.
 *
 * @example
 * const stop = releaseLeasesOnSignal();
 * try { await runLifecycle(deps, options); } finally { stop(); }
 */
export function releaseLeasesOnSignal(): () => void {
  const interrupted = (signal: NodeJS.Signals) => {
    void releaseHeldLeases().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  return () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  };
}
