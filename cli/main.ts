// The `eventlake` command line: global options, every command, and one place that turns errors into exit codes.

import { Command, CommanderError } from 'commander';
import { EventlakeError } from '../domain/errors.ts';
import { registerBalanceCommand } from './commands/balance.ts';
import { registerDlqCommand } from './commands/dlq.ts';
import { registerEmitCommands } from './commands/emit.ts';
import { registerEventsCommand } from './commands/events.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerServeCommand } from './commands/serve.ts';
import { openRuntime } from './runtime.ts';

/** The program with every command registered (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('eventlake')
    .description('an event log you can trust, replay and query — on a folder here, on S3 in AWS')
    .option('--data-dir <dir>', 'data directory (default: EVENTLAKE_DATA_DIR or ./.eventlake)')
    .option('--schemas <dir>', 'extra folder of event schemas (repeatable; default: EVENTLAKE_SCHEMAS)', (v: string, prev: string[] = []) => [...prev, v])
    .showHelpAfterError()
    .exitOverride();
  registerEmitCommands(program, openRuntime);
  registerBalanceCommand(program, openRuntime);
  registerEventsCommand(program, openRuntime);
  registerDlqCommand(program, openRuntime);
  registerRunCommand(program, openRuntime);
  registerServeCommand(program, openRuntime);
  return program;
}

/** Run the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof EventlakeError) {
      process.stderr.write(`eventlake: ${error.code}: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`eventlake: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 3;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bin/eventlake.js')) {
  process.exitCode = await main(process.argv.slice(2));
}
