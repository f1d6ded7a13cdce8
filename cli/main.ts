// The `eventlake` command line: global options, every command, and one place that turns errors into exit codes.

import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { hasCommands, respelled } from '../domain/command-spelling.ts';
import { EventlakeError } from '../domain/errors.ts';
import { registerArchiveCommand } from './commands/archive.ts';
import { registerBalanceCommand } from './commands/balance.ts';
import { registerCheckCommand } from './commands/check.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerDlqCommand } from './commands/dlq.ts';
import { registerEmitCommands } from './commands/emit.ts';
import { registerEventsCommand } from './commands/events.ts';
import { registerGenerationsCommand } from './commands/generations.ts';
import { registerQueryCommand } from './commands/query.ts';
import { registerRebuildCommand } from './commands/rebuild.ts';
import { registerRepairCommand } from './commands/repair.ts';
import { registerRestoreCommand } from './commands/restore.ts';
import { registerRunCommand } from './commands/run.ts';
import { loadSchemaRegistry, registerSchemasCommand } from './commands/schemas.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerSnapshotCommand } from './commands/snapshot.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerVerifyCommand } from './commands/verify.ts';
import { refuseUnusableDataDir } from './data-dir-guard.ts';
import { cliMessage, type SkippedField } from './error-hint.ts';
import { ExitCodeError } from './exit-code.ts';
import { followUp } from './follow-up.ts';
import { globalOptions, type GlobalOptions } from './options.ts';
import { openAwsQuery, openTarget, resolveTarget } from './target.ts';
import { reportUnknownOptionsFirst } from './unknown-options-first.ts';
import { schemaColumns } from '../schemas/columns.ts';
import { accountDeclarations } from '../schemas/account-fields.ts';
import type { EventColumn } from '../domain/query-columns.ts';

/** Every command's open: locally, a --data-dir no folder can be at is refused in the CLI's words, before anything loads. */
const open = async (opts: GlobalOptions) => {
  if (resolveTarget(opts).target === 'local') refuseUnusableDataDir(opts.dataDir);
  return openTarget(opts);
};

/** Fields of the loaded schemas that are no column, and why: a query naming one is told why (cli/error-hint.ts). */
let skippedColumns: readonly SkippedField[] = [];

async function openQuery(opts: GlobalOptions) {
  // Athena on a deployed stack (its SDK loaded only then); locally DuckDB over the data directory.
  if (resolveTarget(opts).target === 'aws') return openAwsQuery(opts);
  // DuckDB is loaded only by the query command: a native module the other commands do not need.
  const { DuckDbEventQuery } = await import('../adapters/local/duckdb-event-query.ts');
  const local = await openTarget(opts);
  let extraColumns: EventColumn[];
  try {
    // The index only: SQL reads the log's files, never the projections, so a query neither waits for a dispatch
    // backlog (a first query of 1M events spent minutes folding them) nor fails while dispatch waits on an archived
    // object or a full disk.
    await (local.catchUpIndex ? local.catchUpIndex() : local.catchUp());
    // Fields of user event types (--schemas, --extensions) are columns of `events` too, typed from their schemas.
    ({ columns: extraColumns, skipped: skippedColumns } = schemaColumns(local.registry));
  } catch (error) {
    await local.close();
    throw error;
  }
  const { SqliteEventIndex } = await import('../adapters/local/sqlite-event-index.ts');
  const { dataDirLayout } = await import('../adapters/local/layout.ts');
  const index = new SqliteEventIndex(dataDirLayout(opts.dataDir).indexDb);
  // The runtime stays open for its archive tier: which unreadable objects are being restored (one lookup each, only
  // when a range has some), and it completes restores that came due, whose listener updates the index.
  const query = new DuckDbEventQuery({
    dataDir: opts.dataDir, extraColumns, accounts: accountDeclarations(local.registry), withoutEventsIn: (keys, range) => index.withoutEventsIn(keys, range), restores: (keys) => local.archive.storage(keys),
  });
  return {
    query,
    close: async () => {
      try {
        await query.close();
      } finally {
        index.close();
        await local.close();
      }
    },
  };
}

async function openLocal(options: Parameters<typeof import('../adapters/local/open-local-eventlake.ts').openLocalEventlake>[0]) {
  const { openLocalEventlake } = await import('../adapters/local/open-local-eventlake.ts');
  return openLocalEventlake(options);
}

/** The version in package.json: what a bug report should name. */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

/** The program with every command registered (exported for tests). */
export function buildProgram(): Command {
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
  registerEmitCommands(program, open);
  registerBalanceCommand(program, open);
  registerEventsCommand(program, open);
  registerQueryCommand(program, openQuery);
  registerDlqCommand(program, open);
  registerRunCommand(program, open);
  registerServeCommand(program, open);
  registerSnapshotCommand(program, open);
  registerArchiveCommand(program, open);
  registerRestoreCommand(program, open);
  registerRebuildCommand(program, open);
  registerVerifyCommand(program, open);
  registerGenerationsCommand(program, open);
  registerCheckCommand(program);
  registerStatusCommand(program, open);
  registerRepairCommand(program);
  registerSchemasCommand(program, loadSchemaRegistry);
  registerDemoCommand(program, openLocal);
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
  const program = buildProgram();
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
    process.stderr.write(`eventlake: ${error.code}: ${cliMessage(error, skippedColumns)}\n`);
    return 1;
  }
  process.stderr.write(`eventlake: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 3;
}

// Run when started as `node --import tsx cli/main.ts …` (npm start); bin/eventlake.js calls main() itself.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
