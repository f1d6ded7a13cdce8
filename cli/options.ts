// Global CLI options shared by every command: which target, where the data lives, which extra schemas and code to load.

import type { Command } from 'commander';
import { InvalidArgumentError } from '../domain/errors.ts';
import { resolveDataDir } from '../adapters/local/layout.ts';
import type { TargetOptions } from './target.ts';
import { checkedSchemaFolders } from './schema-folders.ts';

export interface GlobalOptions extends TargetOptions {
  readonly dataDir: string;
  readonly schemaFolders: string[];
}

/**
 * `--data-dir`, else EVENTLAKE_DATA_DIR, else ./.eventlake; `--schemas` (repeatable), else EVENTLAKE_SCHEMAS;
 * `--extensions`, else EVENTLAKE_EXTENSIONS; `--target` and `--config` as given (openTarget applies their own defaults,
 * and the config file's `extensions` when neither names a module); `--read-only` when given (EVENTLAKE_READ_ONLY is
 * read where the data dir is opened, cli/runtime.ts).
 */
export function globalOptions(command: Command, env: NodeJS.ProcessEnv = process.env): GlobalOptions {
  const opts = command.optsWithGlobals<{ dataDir?: string; schemas?: string[]; extensions?: string; target?: string; config?: string; readOnly?: boolean }>();
  const extensions = opts.extensions || env['EVENTLAKE_EXTENSIONS'] || undefined;
  if (opts.readOnly) refuseReadOnlyRepair(command);
  return {
    dataDir: checkedDataDir(opts.dataDir, env),
    schemaFolders: checkedSchemaFolders(opts, env),
    ...(extensions ? { extensions } : {}),
    ...(opts.target ? { target: opts.target } : {}),
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.readOnly ? { readOnly: true } : {}),
  };
}

/**
 * The data dir, refusing a given value that is empty or starts with ~. Why here: the CLI resolves the path before
 * openLocalEventlake sees it, so its own refusals never fired: `EVENTLAKE_DATA_DIR=` (an unset variable spelled into a
 * unit file) made the current folder a data dir, and `--data-dir=~/lake` (bash expands no ~ after `=`) a folder named ~.
 */
function checkedDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  const [source, given] = explicit !== undefined ? ['--data-dir', explicit] : ['EVENTLAKE_DATA_DIR', env['EVENTLAKE_DATA_DIR']];
  if (given !== undefined && given.trim() === '') {
    throw new InvalidArgumentError(source, `is empty, which would make the current folder (${process.cwd()}) a data dir: give the folder eventlake writes to, or leave it unset for ./.eventlake`);
  }
  if (given?.startsWith('~')) {
    throw new InvalidArgumentError(source, `${given} starts with ~, which only a shell expands at the start of a word (this would make a folder named ~ in ${process.cwd()}): write $HOME instead, or ./${given} for a folder named so`);
  }
  return resolveDataDir(explicit, env);
}

/**
 * Why here: `repair` rewrites index.db or the catalogue through files of its own, not through the runtime that
 * `--read-only` opens read-only, so the flag would not stop it.
 */
function refuseReadOnlyRepair(command: Command): void {
  for (let c: Command | null = command; c; c = c.parent) {
    if (c.name() !== 'repair') continue;
    throw new InvalidArgumentError('--read-only', `eventlake repair rewrites the data dir (index.db, the catalogue), which --read-only forbids: ` +
      'nothing was read or written; drop --read-only to repair (every process on the data dir stopped first)');
  }
}

/** `globalOptions` for a command that only reads: a local `--data-dir` that is not a data dir is refused, not created. */
export function readingOptions(command: Command, env: NodeJS.ProcessEnv = process.env): GlobalOptions {
  return { ...globalOptions(command, env), mustExist: true };
}

/**
 * `name` when a loaded projection has it; else `InvalidArgumentError` on `--projection` listing the known ones (a typo
 * would otherwise list or drop nothing, silently).
 */
export function knownProjection(projections: readonly { readonly name: string }[], name: string): string {
  const known = projections.map((p) => p.name);
  if (!known.includes(name)) throw new InvalidArgumentError('--projection', `unknown projection "${name}": use one of ${known.join(', ')}`);
  return name;
}

/**
 * `text` (decimal digits only) as a whole number of at least `min`; else `InvalidArgumentError` on `option` saying
 * what it must be, in `unit` when given: `-1 is not a whole number of days >= 0`.
 */
export function wholeNumber(option: string, text: string, min: number, unit?: string): number {
  // Digits only, not Number() alone: it reads '' and ' ' as 0, '1e2' as 100 and '0x10' as 16, so a typo became a limit.
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  const what = unit === undefined ? 'a whole number' : `a whole number of ${unit}`;
  if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(option, `${JSON.stringify(text).slice(1, -1) || '""'} is not ${what} >= ${min}`);
  return n;
}
