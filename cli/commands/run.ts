// `eventlake run`: keep the dispatcher running (tail the log, deliver to projections) until interrupted.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { globalOptions, type GlobalOptions } from '../options.ts';
import { requireLocal } from '../target.ts';

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
      let stopping = false;
      const stop = () => { stopping = true; };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.stderr.write(`eventlake: dispatching from ${local.dataDir} (Ctrl-C to stop)\n`);
      try {
        while (!stopping) {
          const r = await local.catchUp();
          if (r.indexed + r.dispatched > 0) process.stderr.write(`indexed ${r.indexed}, dispatched ${r.dispatched}, dead-lettered ${r.deadLettered}\n`);
          await new Promise((done) => setTimeout(done, interval));
        }
      } finally {
        await local.close();
      }
    });
}
