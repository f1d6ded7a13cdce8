// Opens the embedded default for a CLI command from its global options.

import { openLocalEventlake } from '../adapters/local/open-local-eventlake.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import type { LocalEventlakeOptions } from '../projections/runtime.ts';
import type { GlobalOptions } from './options.ts';

/**
 * EVENTLAKE_RESTORE_DELAY_MS as a number; unset or empty: none. Refused unless a whole number >= 0: a typo became NaN,
 * and a restore requested with it never completed (RESTORING until requested again without it).
 */
function restoreDelayFromEnv(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) {
    throw new InvalidArgumentError('EVENTLAKE_RESTORE_DELAY_MS', `"${text}" is not a whole number of milliseconds: set it to e.g. 2000, or unset it (local restores then complete at once)`);
  }
  return Number(text);
}

/** The local eventlake in `opts.dataDir`, with the user's schema folders, balance rules and upcasters. */
export function openRuntime(opts: Pick<GlobalOptions, 'dataDir'> & Partial<GlobalOptions> & Pick<LocalEventlakeOptions, 'balanceRules' | 'upcasters'>): Promise<LocalEventlake> {
  const restoreDelay = restoreDelayFromEnv(process.env['EVENTLAKE_RESTORE_DELAY_MS']);
  return openLocalEventlake({
    dataDir: opts.dataDir,
    schemaFolders: opts.schemaFolders ?? [],
    ...(opts.balanceRules ? { balanceRules: opts.balanceRules } : {}),
    ...(opts.upcasters ? { upcasters: opts.upcasters } : {}),
    ...(restoreDelay !== undefined ? { restoreDelayMs: restoreDelay } : {}),
  });
}
