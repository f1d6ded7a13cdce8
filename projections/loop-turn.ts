// One full turn of the event loop, for long synchronous work (a replay's, a verification's fold) to await between its
// steps.

/**
 * One full turn of the event loop, for a long local fold to await once a batch or chunk (a replay's, a verification's),
 * so a signal handler (cli/lease-signals.ts), a lease's heartbeat or a server in the same process runs meanwhile. Two
 * setImmediates: one after a long synchronous fold did not reach the poll phase, where a signal is seen. Costs tens of
 * microseconds a turn.
 */
export function loopTurn(): Promise<void> {
  return new Promise<void>((resume) => setImmediate(() => setImmediate(resume)));
}
