// The `eventlake` command line: global options, the commands a run needs, and one place that turns errors into exit
// codes. bin/eventlake.js starts here, so a command loads its own module and not the others' (cli/command-table.ts).

import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { hasCommands, respelled } from '../domain/command-spelling.ts';
import { EventlakeError } from '../domain/errors.ts';
import { registrarsFor, type Registrar } from './command-table.ts';
import { cliMessage } from './error-hint.ts';
import { ExitCodeError } from './exit-code.ts';
import { followUp } from './follow-up.ts';
import { globalOptions } from './options.ts';
import { skippedColumns } from './opens.ts';
import { reportUnknownOptionsFirst } from './unknown-options-first.ts';

/** The version in package.json: what a bug report should name. */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

/** The program with the commands of `registrars` (loaded by cli/command-table.ts). */
export function programWith(registrars: readonly Registrar[]): Command {
  const program = new Command('eventlake')
    .description('an event log you can trust, replay and query — on a folder here, on S3 in AWS')
    .option('--data-dir <dir>', 'data directory (default: EVENTLAKE_DATA_DIR or ./.eventlake)')
    .option('--schemas <dir>', 'extra folder of event schemas (repeatable; default: EVENTLAKE_SCHEMAS)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--extensions <file>', 'TS or JS module with your balanceRules and upcasters (default: EVENTLAKE_EXTENSIONS, then the config file)')
    .option('--target <target>', 'local (default) or aws (default: EVENTLAKE_TARGET, then the config file)')
    .option('--config <file>', 'JSON config file, e.g. the AWS stack names (default: EVENTLAKE_CONFIG)')
    .option('--read-only', 'read a local data dir as it is on disk, writing nothing and refusing writes (default: EVENTLAKE_READ_ONLY=1; on by itself when it cannot be written)')
    .addHelpText('after', '\nEvery command: eventlake <command> --help. Version: eventlake --version (or -V).')
    .showHelpAfterError()
    .exitOverride();
  for (const register of registrars) register(program);
  // Every subcommand reports usage errors through main() instead of exiting on its own.
  for (const c of program.commands) c.exitOverride();
  reportUnknownOptionsFirst(program);
  return program;
}

let epipeListening = false;

/** Run the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[]): Promise<number> {
  if (!epipeListening) {
    // Once per process: tests call main() many times, and a listener per call would pile up.
    epipeListening = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0); // `eventlake … | head` closed the pipe: not an error
    });
  }
  // Not a commander option: a program option is matched after the subcommand too, and `schemas show --version N`
  // has its own --version.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const program = programWith(await registrarsFor(argv));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ExitCodeError) {
      reportError(spelledForShell(error.error, program));
      return error.exitCode;
    }
    return reportError(spelledForShell(error, program));
  }
}

/**
 * `error` with the commands it names spelled with the global options given (`respelled`), so that every suggested
 * command runs as printed, whichever command met the error; as it is when the options themselves are what failed.
 */
function spelledForShell(error: unknown, program: Command): unknown {
  if (!hasCommands(error)) return error;
  try {
    return respelled(error, followUp(globalOptions(program)));
  } catch {
    return error;
  }
}

/** Print `error` on stderr; its default exit code: 1 for a typed (eventlake) error, 3 for any other. */
function reportError(error: unknown): number {
  if (error instanceof EventlakeError) {
    process.stderr.write(`eventlake: ${error.code}: ${cliMessage(error, skippedColumns())}\n`);
    return 1;
  }
  process.stderr.write(`eventlake: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 3;
}
