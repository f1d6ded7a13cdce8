// Global CLI options shared by every command: where the data lives and which extra schemas to load.

import { delimiter, resolve } from 'node:path';
import type { Command } from 'commander';

export interface GlobalOptions {
  readonly dataDir: string;
  readonly schemaFolders: string[];
}

/** `--data-dir`, else EVENTLAKE_DATA_DIR, else ./.eventlake; `--schemas` (repeatable), else EVENTLAKE_SCHEMAS. */
export function globalOptions(command: Command, env: NodeJS.ProcessEnv = process.env): GlobalOptions {
  const opts = command.optsWithGlobals<{ dataDir?: string; schemas?: string[] }>();
  const fromEnv = env['EVENTLAKE_SCHEMAS'] ? env['EVENTLAKE_SCHEMAS'].split(delimiter).filter(Boolean) : [];
  return {
    dataDir: resolve(opts.dataDir ?? env['EVENTLAKE_DATA_DIR'] ?? '.eventlake'),
    schemaFolders: (opts.schemas && opts.schemas.length > 0 ? opts.schemas : fromEnv).map((f) => resolve(f)),
  };
}
