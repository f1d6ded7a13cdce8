// A rebuild to run again, spelled out: the command line a rebuild was given (its own options and the global ones), put
// into the errors whose fix is to run it again, which the coordinator can only name in words (it knows no options).

import type { Command } from 'commander';
import type { RebuildFunctionError } from '../../adapters/aws/rebuild-function-error.ts';
import { PlannedSnapshotRemovedError } from '../../projections/rebuild/start-generation.ts';
import type { FollowUp } from '../follow-up.ts';

/**
 * The options of `command` given on its command line, as arguments in their declared order (values as typed, so
 * `--from` reads the same); defaults are left out, as the same command would leave them.
 */
export function typedOptions(command: Command): string[] {
  return command.options.flatMap((option) => {
    const key = option.attributeName();
    if (command.getOptionValueSource(key) !== 'cli' || option.long === undefined) return [];
    return option.required || option.optional ? [option.long, String(command.getOptionValue(key))] : [option.long];
  });
}

/**
 * `error` with the exact command to run again when its fix is to run the same rebuild again: a planned snapshot a prune
 * removed, thrown here or reported by the rebuild function (`--remote`); any other error as it is.
 */
export function withRerun(error: unknown, command: Command, next: FollowUp): unknown {
  const removed = error instanceof PlannedSnapshotRemovedError ? error : fromRebuildFunction(error);
  if (!removed) return error;
  return new PlannedSnapshotRemovedError(removed.projection, removed.snapshotId, next(command.name(), ...typedOptions(command)));
}

/** The rebuild function's report of a planned snapshot removed (Lambda's errorType and errorMessage), read back. */
function fromRebuildFunction(error: unknown): PlannedSnapshotRemovedError | undefined {
  if (!(error instanceof Error) || (error as Partial<RebuildFunctionError>).code !== 'REBUILD_FUNCTION_FAILED') return undefined;
  const { errorType, errorMessage } = error as RebuildFunctionError;
  return PlannedSnapshotRemovedError.fromReport(errorType, errorMessage);
}
