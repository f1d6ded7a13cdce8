// Opens the embedded default for a CLI command from its global options.

import { openLocalEventlake } from '../adapters/local/open-local-eventlake.ts';
import { DataDirForeignOwnerError, DataDirNotWritableError, InvalidArgumentError } from '../domain/errors.ts';
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

/**
 * The local eventlake in `opts.dataDir`, with the user's schema folders, balance rules and upcasters. A data dir this
 * process may not write (a read-only mount, another user's files) is opened read-only instead of refused, and so is
 * any with `--read-only` or EVENTLAKE_READ_ONLY=1: reads answer from what is on disk, and every write refuses at once with the error
 * the writable open met (`DataDirNotWritableError` or `DataDirForeignOwnerError`, naming the folder and the fix).
 */
export async function openRuntime(opts: Pick<GlobalOptions, 'dataDir'> & Partial<GlobalOptions> & Pick<LocalEventlakeOptions, 'balanceRules' | 'upcasters'>): Promise<LocalEventlake> {
  const restoreDelay = restoreDelayFromEnv(process.env['EVENTLAKE_RESTORE_DELAY_MS']);
  const options: LocalEventlakeOptions = {
    dataDir: opts.dataDir,
    schemaFolders: opts.schemaFolders ?? [],
    ...(opts.balanceRules ? { balanceRules: opts.balanceRules } : {}),
    ...(opts.upcasters ? { upcasters: opts.upcasters } : {}),
    ...(restoreDelay !== undefined ? { restoreDelayMs: restoreDelay } : {}),
  };
  // The variable is read even with the flag: a typo in it is refused, not ignored.
  if (readOnlyFromEnv(process.env['EVENTLAKE_READ_ONLY']) || opts.readOnly === true) return openReadOnly(options, undefined);
  try {
    return await openLocalEventlake(options);
  } catch (error) {
    if (!(error instanceof DataDirNotWritableError || error instanceof DataDirForeignOwnerError)) throw error;
    return openReadOnly(options, error);
  }
}

/** EVENTLAKE_READ_ONLY as a flag: 1 or true; unset, empty, 0 or false: not. Anything else is refused, not guessed. */
function readOnlyFromEnv(text: string | undefined): boolean {
  if (text === undefined || ['', '0', 'false'].includes(text)) return false;
  if (['1', 'true'].includes(text)) return true;
  throw new InvalidArgumentError('EVENTLAKE_READ_ONLY', `"${text}" is not 1 or 0: set it to 1 to open the data dir read-only, or unset it`);
}

/** Opened read-only, said once on stderr: answers may lag what was written, and why writes will be refused. */
async function openReadOnly(options: LocalEventlakeOptions, why: DataDirNotWritableError | DataDirForeignOwnerError | undefined): Promise<LocalEventlake> {
  // Imported only here: its scratch ports for verify load the log check, which a writable open never needs.
  const { openReadOnlyLocalEventlake } = await import('../adapters/local/open-read-only.ts');
  const local = await openReadOnlyLocalEventlake(options, why ? { refusal: () => why } : {});
  const reason = why instanceof DataDirNotWritableError ? `${why.details.path} cannot be written (${why.details.errno})`
    : why instanceof DataDirForeignOwnerError ? `it belongs to uid ${why.ownerUid}, not uid ${why.runningUid}` : 'as asked: --read-only or EVENTLAKE_READ_ONLY=1';
  process.stderr.write(`eventlake: reading ${local.dataDir} read-only (${reason}): answers are what is on disk, without catching up ` +
    '(events not yet indexed or dispatched there are left out; status shows the lag), and anything that writes is refused\n');
  return local;
}
