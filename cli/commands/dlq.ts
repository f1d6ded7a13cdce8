// `eventlake dlq list|redrive`: events a projection failed to apply after every retry.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { globalOptions, knownProjection, readingOptions, type GlobalOptions } from '../options.ts';
import { followUp } from '../follow-up.ts';
import { printRows } from '../output.ts';
import type { AwsEventlakeRuntime } from '../../adapters/aws/open-aws-eventlake.ts';

/** The AWS runtime, when that is what was opened (its dead letters are SQS messages: dlq-aws.ts reads them). */
function onAws(runtime: LocalEventlake): AwsEventlakeRuntime | undefined {
  return (runtime as { target: string }).target === 'aws' ? runtime as unknown as AwsEventlakeRuntime : undefined;
}

// Not `--target`: the global `--target local|aws` is matched after the subcommand too, so a `--target balances` here
// never reached this command and was refused as a bad target.
const PROJECTION_OPTION = ['--projection <name>', 'only the dead letters of this projection (balances, statement, …; with --target aws also indexer)'] as const;

/** The projection asked for, refused when no loaded projection has that name (a typo would list nothing). */
function projectionOf(local: LocalEventlake, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  return knownProjection(local.projections, name);
}

export function registerDlqCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  const dlq = program.command('dlq').description('dead letters: events a projection failed to apply after every retry');
  dlq
    .command('list')
    .description('list dead letters with their errors')
    .option(...PROJECTION_OPTION)
    .option('--json', 'one JSON object per line')
    .action(async (options: { projection?: string; json?: boolean }, command: Command) => {
      const opts = readingOptions(command);
      const local = await open(opts);
      try {
        const aws = onAws(local);
        const projection = aws ? options.projection : projectionOf(local, options.projection);
        const letters = aws ? await (await import('./dlq-aws.ts')).listAwsDeadLetters(aws, projection, options.json ?? false) : await local.deadLetters.list(projection);
        if (!aws) printRows(letters.map((l) => ({ id: l.id, target: l.target, attempts: l.attempts, failedAt: new Date(l.failedAt).toISOString(), error: l.error })), options.json ?? false);
        // For people only (stderr, not with --json): the next step, against the same data dir and rules.
        if (letters.length > 0 && !options.json) {
          const redrive = followUp(opts)('dlq', 'redrive', ...(projection ? ['--projection', projection] : []));
          process.stderr.write(`eventlake: once their cause is fixed, deliver them again: ${redrive}\n`);
        }
      } finally {
        await local.close();
      }
    });
  dlq
    .command('redrive')
    .description('deliver dead letters again; those that succeed leave the list (exit 1 while any still fails)')
    .option(...PROJECTION_OPTION)
    .option('--json', 'one JSON object: redriven and failed counts')
    .action(async (options: { projection?: string; json?: boolean }, command: Command) => {
      const local = await open(globalOptions(command));
      try {
        const aws = onAws(local);
        if (aws) return await (await import('./dlq-aws.ts')).redriveAwsDeadLetters(aws, options.projection, options.json ?? false);
        const result = await local.redriveDeadLetters(projectionOf(local, options.projection));
        printRows([{ redriven: result.redriven, failed: result.failed }], options.json ?? false);
        if (result.failed > 0) process.exitCode = 1;
      } finally {
        await local.close();
      }
    });
}
