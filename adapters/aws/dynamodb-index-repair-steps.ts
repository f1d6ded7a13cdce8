// The steps of `repair index --target aws` as its errors name them: which step stopped, what the run finished before
// it, and the fix, so an operator whose run failed half way knows what is done and that a re-run completes it.

import { bareCommand, namingCommands, type SpellCommand } from '../../domain/command-spelling.ts';
import { StorageError, TransientError } from '../../domain/errors.ts';
import type { AwsEventlakeConfig } from './aws-config.ts';
import { errorName, storageError } from './dynamodb-codec.ts';
import type { DirectoryBackfill } from './dynamodb-index-directory-writes.ts';

/** The one Scan listing the hours that hold entries, the directory backfill, the accounts re-derivation. */
export type RepairStep = 'scan' | 'directory' | 'accounts';

type TableConfig = Pick<AwsEventlakeConfig, 'indexTable' | 'region'>;

/** How a library caller, which runs no CLI, reads the command: the CLI spells it with every global option given. */
const RERUN: SpellCommand = (...args) => bareCommand('--target', 'aws', ...args);

/** The step's own words, as storageError puts them after "DynamoDB: … failed". */
const DOING: Record<RepairStep, string> = {
  scan: 'listing the hours holding entries',
  directory: 'backfilling the hour directory',
  accounts: 're-deriving the accounts',
};

/** What a failure of `step` leaves undone (and done: `directory`, the backfill that finished before `accounts`). */
function stopped(step: RepairStep, table: string, directory?: DirectoryBackfill): string {
  if (step === 'scan') {
    return `listing the hours holding entries (the one Scan both steps read) did not finish: the hour directory of ${table} was not backfilled and no entry's accounts were re-derived`;
  }
  if (step === 'directory') {
    return `backfilling the hour directory of ${table} did not finish (its complete marker is not written, so range reads still query every hour), and no entry's accounts were re-derived`;
  }
  return `the hour directory of ${table} is complete (${directory?.hours ?? 0} hours hold events), but re-deriving the accounts of its entries ` +
    'did not finish (entries updated so far keep their new accounts)';
}

/**
 * Run one step of the AWS index repair. A failure becomes a TransientError or StorageError (as storageError maps it)
 * saying which step did not finish, what is done, and the fix: run the repair again, which is safe. A missing table
 * says the config fix instead; other eventlake errors pass as they are, since their own message holds their fix.
 *
 * @example
 * const hours = await repairStep('scan', config, () => entryHours(client, config.indexTable));
 */
export async function repairStep<T>(step: RepairStep, config: TableConfig, fn: () => Promise<T>, directory?: DirectoryBackfill): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const mapped = storageError(`${DOING[step]} of ${config.indexTable}`, error);
    const wrongTable = missingTable(config, mapped);
    if (wrongTable !== mapped) throw wrongTable;
    if (!(mapped instanceof StorageError || mapped instanceof TransientError)) throw mapped;
    const transient = mapped instanceof TransientError;
    throw namingCommands((spell) => {
      const rerun = spell('repair', 'index');
      const fix = transient ? `run ${rerun} again (safe to re-run)` : `fix the cause above, then run ${rerun} again (safe to re-run)`;
      const message = `repair index stopped: ${stopped(step, config.indexTable, directory)}: ${mapped.message}; ${fix}`;
      return transient ? new TransientError(message, { cause: mapped }) : new StorageError(message, { cause: mapped });
    }, RERUN);
  }
}

/** A missing table, as the fix: most often the config names another stack's (or region's) index. */
export function missingTable(config: TableConfig, error: unknown): unknown {
  if (errorName((error as { cause?: unknown }).cause) !== 'ResourceNotFoundException') return error;
  return new StorageError(
    `DynamoDB: index table ${config.indexTable} not found in ${config.region ?? 'the default region'}: set indexTable (and region) in the config ` +
    'to the stack\'s IndexTableName output and region', { cause: error },
  );
}
