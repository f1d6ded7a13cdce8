// `eventlake check`: is the log whole? Locally a read-only check of the data dir's objects, index.db and identity
// catalogue; on a deployed stack (--target aws) the port-level check of its S3 log against its DynamoDB index.

import type { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { ExitCodeError } from '../exit-code.ts';
import { followUp } from '../follow-up.ts';
import { globalOptions, type GlobalOptions } from '../options.ts';
import { resolveTarget } from '../target.ts';
import { refuseUnusableDataDir } from '../data-dir-guard.ts';
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
  /**
   * Not checked (not a data dir, an unreadable index.db or catalogue.db, a folder or object the user cannot read, schemas
   * or an extensions module that do not load, a bad option): the error on stderr, nothing on stdout. An unreadable
   * folder is never reported as missing objects, nor a schema set refused as a whole as a finding on every event.
   */
  couldNotCheck: 2,
} as const;

/** A report either target produced: its verdict, its JSON form and its lines for people. */
interface Checked {
  readonly whole: boolean;
  readonly json: unknown;
  readonly text: () => string[];
}

async function report(flags: CheckFlags, command: Command): Promise<Checked> {
  const limit = limitOf(flags.limit);
  const opts = globalOptions(command);
  // Resolved before anything opens: the local check opens no runtime, so it creates nothing and runs no recovery.
  const { target } = resolveTarget(opts);
  if (target === 'aws') {
    // Silently ignoring it would let a script believe its temp dir was used; archived objects are never read on AWS.
    if (flags.tempDir) throw new InvalidArgumentError('--temp-dir', 'applies only to a local data dir (the AWS check copies nothing); drop it with --target aws');
    return checkAws(opts, limit);
  }
  refuseUnusableDataDir(opts.dataDir); // in the CLI's words (--data-dir), before checkLog's API wording (dataDir)
  const [{ checkLog }, { loadSchemaRegistry, userSchemas }] = await Promise.all([import('../../adapters/local/log-check.ts'), import('./schemas.ts')]);
  // The registry replay would use (--schemas, --extensions' upcasters), so check names exactly the events it stops at.
  const registry = loadSchemaRegistry(await userSchemas(opts));
  const checked = await checkLog(opts.dataDir, { limit, readArchived: flags.archived, registry, ...(flags.tempDir ? { tempDir: flags.tempDir } : {}) });
  // checkLog counts the events stored past the cursor of the index.db it read (journalNotIndexed), as status does.
  return { whole: checked.whole, json: checked, text: () => renderCheck(checked, followUp(opts), checked.journalNotIndexed) };
}

/** A deployed stack: the port-level check of its S3 log against its DynamoDB index (archived objects are not read). */
async function checkAws(opts: GlobalOptions, limit: number): Promise<Checked> {
  const [{ openTarget }, { checkLogAgainstIndex }, { renderAwsCheck }] = await Promise.all([
    import('../target.ts'), import('../../projections/log-index-check.ts'), import('./check-aws-render.ts'),
  ]);
  const runtime = await openTarget(opts);
  try {
    // The runtime's registry: the stack's --schemas and the extensions' upcasters, as the CLI's rebuild reads with.
    const checked = await checkLogAgainstIndex(runtime, { limit, registry: runtime.registry });
    return { whole: checked.whole, json: { target: 'aws', dataDir: runtime.dataDir, ...checked }, text: () => renderAwsCheck(runtime.dataDir, checked, followUp(opts)) };
  } finally {
    await runtime.close();
  }
}

/**
 * Registers `check [--json] [--limit N] [--no-archived] [--temp-dir DIR]`. Exit codes (`CHECK_EXIT`): 0 the log is
 * whole, 1 it is not (the report on stdout says what is wrong), 2 it could not be checked (the error on stderr,
 * nothing on stdout): a path that is not a data dir (not created), an unreadable index.db or catalogue.db, a folder or
 * object file the user cannot read (STORAGE_FAILED naming it, its owner's uid and the fix), --schemas or --extensions
 * that do not load (SCHEMA_EVOLUTION among them), a bad option. Why 2 and not main()'s 1 for a typed error: 1 already
 * means "checked, not whole". Every stored event read is validated as replay validates it, with the same registry:
 * one a rebuild would stop at is `invalidEvent` or `unknownSchema`, exit 1. The report also says how much of the ingest
 * journal is kept and how much of it the indexer holds, and how many events it holds past the indexer's cursor
 * (`journalNotIndexed`: stored, indexed by the next catch-up), which never change the exit code. On either target, originals
 * an interrupted compaction left (`compactionLeftover`, one rule for both: projections/log-index-check-leftover-rule.ts)
 * are listed as harmless and keep exit 0: the next compaction removes them, and an operator told "not whole" would look
 * for damage that is not there.
 */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('read-only integrity check of the local data dir (objects, index and identity catalogue agree), or with --target aws of the S3 log against the DynamoDB index; exit 0 whole, 1 not whole, 2 could not check')
    .option('--json', 'the report as one JSON object')
    .option('--limit <n>', 'examples shown per finding', '10')
    .option('--no-archived', 'do not read archived objects (count their events as archived, not read)')
    .option('--temp-dir <dir>', 'where the private copies of index.db and catalogue.db go (default: the OS temp dir; needs room for both)')
    .action(async (flags: CheckFlags, command: Command) => {
      let checked: Checked;
      try {
        checked = await report(flags, command);
      } catch (error) {
        throw new ExitCodeError(CHECK_EXIT.couldNotCheck, error);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(checked.json)}\n` : `${checked.text().join('\n')}\n`);
      process.exitCode = checked.whole ? CHECK_EXIT.whole : CHECK_EXIT.notWhole;
    });
}
