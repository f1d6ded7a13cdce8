// `eventlake run`: keep the dispatcher running (tail the log, deliver to projections) until interrupted.

import type { Command } from 'commander';
import type { CatchUpReport, LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { globalOptions, type GlobalOptions } from '../options.ts';
import { requireLocal } from '../target.ts';

/** A running dispatch loop: `stop()` ends it, `done` resolves once it ended and the eventlake is closed. */
export interface DispatchLoop {
  stop(): void;
  readonly done: Promise<void>;
}

/**
 * Catch `local` up every `intervalMs` until `stop()`, telling `report` what each catch-up did. Why `stop()` closes the
 * eventlake at once rather than letting the loop end first: a catch-up in flight ends only when caught up, which it
 * never is while another process emits faster than this one dispatches, and close() stops it at its next batch (what
 * it did is checkpointed; the next run goes on from there). Why the wait between catch-ups ends at `stop()` too: with a
 * long --interval a SIGTERM otherwise waited for the rest of it.
 */
export function dispatchLoop(local: Pick<LocalEventlake, 'catchUp' | 'close'>, intervalMs: number, report: (r: CatchUpReport) => void): DispatchLoop {
  let stopping = false;
  let wake: (() => void) | undefined;
  const done = (async () => {
    try {
      while (!stopping) {
        report(await local.catchUp());
        if (!stopping) await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, intervalMs);
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

export function registerRunCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  program
    .command('run')
    .description('tail the log and deliver new events to the projections until interrupted (Ctrl-C)')
    .option('--interval <ms>', 'poll interval in milliseconds (at least 10)', '250')
    .action(async (options: { interval: string }, command: Command) => {
      // A silent fallback would hide a typo; refused before the data dir is opened, like every bad flag value.
      if (!/^\d+$/.test(options.interval)) throw new InvalidArgumentError('--interval', `${options.interval} is not a whole number of milliseconds, e.g. --interval 250`);
      const interval = Math.max(10, Number(options.interval));
      const local = await open(globalOptions(command));
      await requireLocal(local, 'eventlake run', 'on AWS the indexer and projector Lambdas index and dispatch every event as it arrives (S3 notifications, EventBridge); nothing needs to run here');
      const loop = dispatchLoop(local, interval, (r) => {
        if (r.indexed + r.dispatched > 0) process.stderr.write(`indexed ${r.indexed}, dispatched ${r.dispatched}, dead-lettered ${r.deadLettered}\n`);
      });
      process.once('SIGINT', loop.stop);
      process.once('SIGTERM', loop.stop);
      process.stderr.write(`eventlake: dispatching from ${local.dataDir} (Ctrl-C to stop)\n`);
      await loop.done;
    });
}
