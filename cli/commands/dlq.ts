// `eventlake dlq list|redrive`: events a projection failed to apply after every retry.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { globalOptions, readingOptions, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';

export function registerDlqCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  const dlq = program.command('dlq').description('dead letters: events a target failed to handle after every retry');
  dlq
    .command('list')
    .description('list dead letters with their errors')
    .option('--target <name>', 'only this target (projection)')
    .option('--json', 'one JSON object per line')
    .action(async (options: { target?: string; json?: boolean }, command: Command) => {
      const local = await open(readingOptions(command));
      try {
        const letters = await local.deadLetters.list(options.target);
        printRows(letters.map((l) => ({ id: l.id, target: l.target, attempts: l.attempts, failedAt: new Date(l.failedAt).toISOString(), error: l.error })), options.json ?? false);
      } finally {
        await local.close();
      }
    });
  dlq
    .command('redrive')
    .description('deliver dead letters again; those that succeed leave the list')
    .option('--target <name>', 'only this target (projection)')
    .option('--json', 'JSON output')
    .action(async (options: { target?: string; json?: boolean }, command: Command) => {
      const local = await open(globalOptions(command));
      try {
        const result = await local.redriveDeadLetters(options.target);
        printRows([{ redriven: result.redriven, failed: result.failed }], options.json ?? false);
        if (result.failed > 0) process.exitCode = 1;
      } finally {
        await local.close();
      }
    });
}
