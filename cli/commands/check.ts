// `eventlake check`: is the local data dir whole? A read-only check of its objects, index.db and identity catalogue.

import type { Command } from 'commander';
import { InvalidArgumentError, UnsupportedOnTargetError } from '../../domain/errors.ts';
import type { LogCheckReport } from '../../adapters/local/log-check.ts';
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

/**
 * Registers `check [--json] [--limit N] [--no-archived] [--temp-dir DIR]`: exit 0 when the log is whole, 1 when not (the report says
 * what is wrong). A path that is not a data dir is an error (exit 1, nothing on stdout) and is not created.
 */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('read-only integrity check of the local data dir: objects, index and identity catalogue agree; exit 1 when not')
    .option('--json', 'the report as one JSON object')
    .option('--limit <n>', 'examples shown per finding', '10')
    .option('--no-archived', 'do not read archived objects (count their events as archived, not read)')
    .option('--temp-dir <dir>', 'where the private copies of index.db and catalogue.db go (default: the OS temp dir; needs room for both)')
    .action(async (flags: CheckFlags, command: Command) => {
      const limit = limitOf(flags.limit);
      const opts = globalOptions(command);
      // Only the local target has a data dir; opening no runtime, the check creates nothing and runs no recovery.
      const { target } = resolveTarget(opts);
      if (target !== 'local') throw new UnsupportedOnTargetError('eventlake check', target, 'it checks a local data dir, and a deployed stack has no integrity check yet (use --target local with --data-dir)');
      const { checkLog } = await import('../../adapters/local/log-check.ts');
      const report: LogCheckReport = await checkLog(opts.dataDir, { limit, readArchived: flags.archived, ...(flags.tempDir ? { tempDir: flags.tempDir } : {}) });
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${renderCheck(report).join('\n')}\n`);
      if (!report.whole) process.exitCode = 1;
    });
}
