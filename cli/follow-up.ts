// The eventlake commands the CLI suggests (`eventlake dlq list`, a rebuild), spelled with the global options the
// running command was given, so that a line copied into a shell reads the same data dir with the same schemas.

import { resolve } from 'node:path';
import { resolveDataDir } from '../adapters/local/layout.ts';
import type { TargetOptions } from './target.ts';

/** Renders `eventlake [global options] ARGS…` for one running command; ARGS are shell-quoted like the options. */
export type FollowUp = (...args: string[]) => string;

/** Words a POSIX shell passes through unquoted. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * `word` as one POSIX shell word: as it is when nothing in it is special, else single-quoted (a `'` inside closed,
 * escaped and reopened).
 *
 * @example
 * shellWord("/data/Bob's lake"); // "'/data/Bob'\''s lake'"
 */
export function shellWord(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The global options of `opts` (GlobalOptions, or a command's TargetOptions) as arguments: `--data-dir` unless it is the default folder here, each `--schemas`,
 * `--extensions`, `--config` and `--target` when set. Why from the resolved options, not argv: EVENTLAKE_DATA_DIR and
 * its kin are not set in the shell a `serve` log line is copied into, and paths are absolute so the line works from
 * any folder. EVENTLAKE_CONFIG and EVENTLAKE_TARGET are read from `env` here because GlobalOptions carries only the
 * flags (resolveTarget reads the variables when it opens the target, as this does).
 */
export function globalArguments(opts: TargetOptions, env: Env = process.env): string[] {
  const args: string[] = [];
  if (opts.dataDir !== resolveDataDir(undefined, {})) args.push('--data-dir', opts.dataDir);
  for (const folder of opts.schemaFolders) args.push('--schemas', folder);
  if (opts.extensions !== undefined) args.push('--extensions', resolve(opts.extensions));
  const config = opts.config ?? (env['EVENTLAKE_CONFIG'] || undefined);
  if (config !== undefined) args.push('--config', resolve(config));
  const target = opts.target ?? (env['EVENTLAKE_TARGET'] || undefined);
  if (target !== undefined) args.push('--target', target);
  return args;
}

/**
 * The FollowUp of a command run with `opts`; without options, the bare command (a caller that has none, such as the
 * HTTP API's answers).
 *
 * @example
 * followUp({ dataDir: '/srv/lake', schemaFolders: [] })('dlq', 'list'); // 'eventlake --data-dir /srv/lake dlq list'
 */
export function followUp(opts?: TargetOptions, env: Env = process.env): FollowUp {
  const global = opts ? globalArguments(opts, env) : [];
  return (...args) => ['eventlake', ...global, ...args].map(shellWord).join(' ');
}
