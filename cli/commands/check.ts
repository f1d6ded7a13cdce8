// `eventlake check`: is the local data dir whole? A read-only check of its objects, index.db and identity catalogue.

import type { Command } from 'commander';
import { InvalidArgumentError, UnsupportedOnTargetError } from '../../domain/errors.ts';
import type { LogCheckReport } from '../../adapters/local/log-check.ts';
import { ExitCodeError } from '../exit-code.ts';
import { globalOptions } from '../options.ts';
import { resolveTarget } from '../target.ts';
import { renderCheck } from './check-render.ts';

interface CheckFlags {
  json?: boolean;
  limit: string;
  archived: boolean;
  tempDir?: string;
}

function limitOf(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('--limit', `${text} is not a whole number of examples (e.g. --limit 20)`);
  return n;
}

/** `eventlake check`'s exit codes, for scripts: each means one thing. */
export const CHECK_EXIT = {
  /** Checked: the log is whole (harmless findings may be listed). */
  whole: 0,
  /** Checked: the log is not whole; the report on stdout says what is wrong. */
  notWhole: 1,
  /** Not checked (not a data dir, an unreadable index.db or catalogue.db, a bad option): the error on stderr, nothing on stdout. */
  couldNotCheck: 2,
} as const;

async function report(flags: CheckFlags, command: Command): Promise<LogCheckReport> {
  const limit = limitOf(flags.limit);
  const opts = globalOptions(command);
  // Only the local target has a data dir; opening no runtime, the check creates nothing and runs no recovery.
  const { target } = resolveTarget(opts);
  if (target !== 'local') throw new UnsupportedOnTargetError('eventlake check', target, 'it checks a local data dir, and a deployed stack has no integrity check yet (use --target local with --data-dir)');
  const { checkLog } = await import('../../adapters/local/log-check.ts');
  return checkLog(opts.dataDir, { limit, readArchived: flags.archived, ...(flags.tempDir ? { tempDir: flags.tempDir } : {}) });
}

/**
 * Registers `check [--json] [--limit N] [--no-archived] [--temp-dir DIR]`. Exit codes (`CHECK_EXIT`): 0 the log is
 * whole, 1 it is not (the report on stdout says what is wrong), 2 it could not be checked (the error on stderr,
 * nothing on stdout): a path that is not a data dir (not created), an unreadable index.db or catalogue.db, a bad
 * option. Why 2 and not main()'s 1 for a typed error: 1 already means "checked, not whole". The report also says how
 * much of the ingest journal is kept and how much of it the indexer holds, which never changes the exit code.
 */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('read-only integrity check of the local data dir: objects, index and identity catalogue agree; exit 0 whole, 1 not whole, 2 could not check')
    .option('--json', 'the report as one JSON object')
    .option('--limit <n>', 'examples shown per finding', '10')
    .option('--no-archived', 'do not read archived objects (count their events as archived, not read)')
    .option('--temp-dir <dir>', 'where the private copies of index.db and catalogue.db go (default: the OS temp dir; needs room for both)')
    .action(async (flags: CheckFlags, command: Command) => {
      let checked: LogCheckReport;
      try {
        checked = await report(flags, command);
      } catch (error) {
        throw new ExitCodeError(CHECK_EXIT.couldNotCheck, error);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(checked)}\n` : `${renderCheck(checked).join('\n')}\n`);
      process.exitCode = checked.whole ? CHECK_EXIT.whole : CHECK_EXIT.notWhole;
    });
}
