// Global CLI options shared by every command: which target, where the data lives, which extra schemas to load.

import type { Command } from 'commander';
import { resolveDataDir } from '../adapters/local/layout.ts';
import type { TargetOptions } from './target.ts';
import { schemaFoldersFrom } from './schema-folders.ts';

export interface GlobalOptions extends TargetOptions {
  readonly dataDir: string;
  readonly schemaFolders: string[];
}

/**
 * `--data-dir`, else EVENTLAKE_DATA_DIR, else ./.eventlake; `--schemas` (repeatable), else EVENTLAKE_SCHEMAS;
 * `--target` and `--config` as given (openTarget applies their own defaults).
 */
export function globalOptions(command: Command, env: NodeJS.ProcessEnv = process.env): GlobalOptions {
  const opts = command.optsWithGlobals<{ dataDir?: string; schemas?: string[]; target?: string; config?: string }>();
  return {
    dataDir: resolveDataDir(opts.dataDir, env),
    schemaFolders: schemaFoldersFrom(opts, env),
    ...(opts.target ? { target: opts.target } : {}),
    ...(opts.config ? { config: opts.config } : {}),
  };
}
