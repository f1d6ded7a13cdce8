// Opens the embedded default for a CLI command from its global options.

import { openLocalEventlake } from '../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import type { LocalEventlakeOptions } from '../projections/runtime.ts';
import type { GlobalOptions } from './options.ts';

/** The local eventlake in `opts.dataDir`, with the user's schema folders, balance rules and upcasters. */
export function openRuntime(opts: Pick<GlobalOptions, 'dataDir'> & Partial<GlobalOptions> & Pick<LocalEventlakeOptions, 'balanceRules' | 'upcasters'>): Promise<LocalEventlake> {
  const restoreDelay = process.env['EVENTLAKE_RESTORE_DELAY_MS'];
  return openLocalEventlake({
    dataDir: opts.dataDir,
    schemaFolders: opts.schemaFolders ?? [],
    ...(opts.balanceRules ? { balanceRules: opts.balanceRules } : {}),
    ...(opts.upcasters ? { upcasters: opts.upcasters } : {}),
    ...(restoreDelay ? { restoreDelayMs: Number(restoreDelay) } : {}),
  });
}
