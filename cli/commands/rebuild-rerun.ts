// A rebuild to run again, spelled out: the command line a rebuild was given (its own options and the global ones), put
// into the errors whose fix is to run it again, which the coordinator can only name in words (it knows no options).

import type { Command } from 'commander';
import type { RebuildFunctionError } from '../../adapters/aws/rebuild-function-error.ts';
import { ProjectionRuleError } from '../../domain/projection-errors.ts';
import { rebuildToRunAgain } from '../../projections/rebuild/snapshot-errors.ts';
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
 * `error` with the exact command to run again when its fix is to run the same rebuild again (rebuild/snapshot-errors.ts:
 * a planned snapshot pruned or no longer restorable, a snapshot DynamoDB refused to restore; a rule that threw, once
 * fixed, with its `dlq` commands too), thrown here or reported by the rebuild function (`--remote`); any other error as it is.
 */
export function withRerun(error: unknown, command: Command, next: FollowUp): unknown {
  if (error instanceof ProjectionRuleError) return withRuleFixes(error, command, next);
  const again = rebuildToRunAgain(error, reportOf(error));
  return again ? again.withRerun(next(command.name(), ...typedOptions(command))) : error;
}

/**
 * The command line `command` ran with: its path below the program (`generations promote`), the arguments it was
 * given and its typed options (typedOptions).
 */
export function commandLine(command: Command): string[] {
  const path: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) path.unshift(c.name());
  const args = (command.processedArgs as unknown[]).filter((a): a is string => typeof a === 'string');
  return [...path, ...args, ...typedOptions(command)];
}

/**
 * A rule's failure that stopped `command` (a rebuild, a verification, a promotion's verification), ending with the
 * exact command to run again once the rule is fixed and the `dlq` commands of its projection.
 */
export function withRuleFixes(error: ProjectionRuleError, command: Command, next: FollowUp): ProjectionRuleError {
  const dlq = (verb: string) => next('dlq', verb, '--projection', error.projection);
  return error.within({ spelled: { rerun: next(...commandLine(command)), dlqList: dlq('list'), dlqRedrive: dlq('redrive') } });
}

/** What the rebuild function reported (Lambda's errorType and errorMessage), when `error` is its failure. */
function reportOf(error: unknown): Pick<RebuildFunctionError, 'errorType' | 'errorMessage'> | undefined {
  if (!(error instanceof Error) || (error as Partial<RebuildFunctionError>).code !== 'REBUILD_FUNCTION_FAILED') return undefined;
  return error as RebuildFunctionError;
}
