// `eventlake run`: keep the dispatcher running (tail the log, deliver to projections) until interrupted.

import type { Command } from 'commander';
import type { CatchUpReport, LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { respelled } from '../../domain/command-spelling.ts';
import { InvalidArgumentError, StorageFullError, TransientError } from '../../domain/errors.ts';
import { archivedCause } from '../../projections/status-dispatch-waiting.ts';
import { followUp } from '../follow-up.ts';
import { globalOptions, type GlobalOptions } from '../options.ts';
import { requireLocal } from '../target.ts';
import { compactAfterHoursOption, compactEveryOption, compactWhileRunning, parseCompactAfterHours, parseCompactEvery } from '../background-compaction.ts';
import { refuseReadOnlyWriter } from '../data-dir-guard.ts';
import { LONGEST_TIMER_MS } from '../../projections/longest-timer.ts';

/** A running dispatch loop: `stop()` ends it, `done` resolves once it ended and the eventlake is closed. */
export interface DispatchLoop {
  stop(): void;
  readonly done: Promise<void>;
}

/** Longest wait between catch-ups while one keeps failing for a reason that time or an operator ends. */
export const WAITING_MAX_MS = 30_000;

/**
 * Whether a failed catch-up is a wait rather than the loop's end: an archived object (a restore ends it), a throttled
 * or busy dependency, a full disk. Anything else (a refused event, a broken data dir) needs the operator and a restart.
 */
export function isWait(error: unknown): boolean {
  return archivedCause(error) !== undefined || error instanceof TransientError || error instanceof StorageFullError;
}

/**
 * Catch `local` up every `intervalMs` until `stop()`, telling `report` what each catch-up did. Why `stop()` closes the
 * eventlake at once rather than letting the loop end first: a catch-up in flight ends only when caught up, which it
 * never is while another process emits faster than this one dispatches, and close() stops it at its next batch (what
 * it did is checkpointed; the next run goes on from there). Why the wait between catch-ups ends at `stop()` too: with a
 * long --interval a SIGTERM otherwise waited for the rest of it.
 */
export function dispatchLoop(local: Pick<LocalEventlake, 'catchUp' | 'close'>, intervalMs: number, report: (r: CatchUpReport) => void,
  waiting: (error: Error) => void = () => undefined): DispatchLoop {
  let stopping = false;
  let wake: (() => void) | undefined;
  const done = (async () => {
    try {
      // Why a wait does not end the loop: `run` is what dispatches on a host with no `serve`; exiting on an archived
      // object left the events after it undispatched once restored. Why the delay doubles: each failed catch-up
      // re-reads its page, and a restore takes minutes to hours.
      let delay = intervalMs;
      let said: string | undefined;
      while (!stopping) {
        try {
          report(await local.catchUp());
          delay = intervalMs;
          said = undefined;
        } catch (error) {
          if (stopping || !isWait(error)) throw error;
          const message = (error as Error).message;
          if (message !== said) waiting(error as Error);
          said = message;
          delay = Math.min(WAITING_MAX_MS, Math.max(delay * 2, intervalMs));
        }
        if (!stopping) await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => { clearTimeout(timer); resolve(); };
        });
      }
    } finally {
      await local.close();
    }
  })();
  return {
    done,
    stop() {
      stopping = true;
      wake?.();
      // Its failure is the loop's (`done` awaits the same close).
      local.close().catch(() => undefined);
    },
  };
}

/**
 * `--interval` in ms: a whole number up to LONGEST_TIMER_MS (at least 10 is used), else InvalidArgumentError naming the
 * flag. Why the cap: a longer wait fired after 1 ms, so a catch-up ran back to back with the CPU busy.
 */
export function parseInterval(text: string): number {
  // A silent fallback would hide a typo.
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('--interval', `${text} is not a whole number of milliseconds, e.g. --interval 250`);
  if (Number(text) > LONGEST_TIMER_MS) {
    throw new InvalidArgumentError('--interval', `${text} ms is longer than a timer can wait (at most ${LONGEST_TIMER_MS} ms, about 24 days): give --interval ${LONGEST_TIMER_MS} or less, e.g. --interval 250`);
  }
  return Math.max(10, Number(text));
}

export function registerRunCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  program
    .command('run')
    .description('tail the log and deliver new events to the projections until interrupted (Ctrl-C)')
    .option('--interval <ms>', 'poll interval in milliseconds (at least 10)', '250')
    .addOption(compactEveryOption())
    .addOption(compactAfterHoursOption())
    .action(async (options: { interval: string; compactEvery: string; compactAfterHours: string }, command: Command) => {
      // Refused before the data dir is opened, like every bad flag value.
      const interval = parseInterval(options.interval);
      const compactEveryMs = parseCompactEvery(options.compactEvery);
      const afterHours = parseCompactAfterHours(options.compactAfterHours);
      const local = await open(globalOptions(command));
      await requireLocal(local, 'eventlake run', 'on AWS the indexer and projector Lambdas index and dispatch every event as it arrives (S3 notifications, EventBridge); nothing needs to run here');
      await refuseReadOnlyWriter(local, 'dispatching events (eventlake run)');
      const compaction = await compactWhileRunning(local, { everyMs: compactEveryMs, afterHours, doing: 'dispatching' });
      // The loop closes the eventlake on stop: the compaction stops first, at its next chunk.
      const closing = { catchUp: () => local.catchUp(), close: async () => { await compaction.stop(); await local.close(); } };
      const loop = dispatchLoop(closing, interval, (r) => {
        if (r.indexed + r.dispatched > 0) process.stderr.write(`indexed ${r.indexed}, dispatched ${r.dispatched}, dead-lettered ${r.deadLettered}\n`);
      }, (error) => {
        const shown = respelled(error, followUp(globalOptions(command))) as Error;
        process.stderr.write(`eventlake: waiting, retrying until it clears: ${'code' in shown ? `${String(shown.code)}: ` : ''}${shown.message}\n`);
      });
      process.once('SIGINT', loop.stop);
      process.once('SIGTERM', loop.stop);
      process.stderr.write(`eventlake: dispatching from ${local.dataDir} (Ctrl-C to stop)\n`);
      await loop.done;
    });
}
