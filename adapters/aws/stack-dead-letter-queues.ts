// The dead-letter queues of a deployed stack: their names (after the stack's prefix, as the stack names them), the
// function that consumes each, and what a failed call on one means to the operator.

import { EventlakeError, InvalidArgumentError, StorageError, TransientError } from '../../domain/errors.ts';
import { credentialsFix, errorCode, isThrottled } from './errors.ts';
import { lakeNames } from './names.ts';

/** One dead-letter queue of the stack: whose it is, and the function that delivers its messages. */
export interface DeadLetterQueue {
  /** A projection's name, or `indexer`. */
  readonly target: string;
  readonly queueName: string;
  readonly functionName: string;
}

/** The target that stands for the indexer's queue (no projection may take the name). */
export const INDEXER_TARGET = 'indexer';

/**
 * The dead-letter queues of the lake deployed under `prefix` (its TablePrefix output): the indexer's and one per
 * projection, each with the function that consumes it.
 */
export function stackDeadLetterQueues(prefix: string, projections: readonly string[]): DeadLetterQueue[] {
  return [
    { target: INDEXER_TARGET, queueName: lakeNames.indexerDeadLetterQueue(prefix), functionName: lakeNames.indexerFunction(prefix) },
    ...projections.map((p) => ({ target: p, queueName: lakeNames.projectorDeadLetterQueue(prefix, p), functionName: lakeNames.projectorFunction(prefix, p) })),
  ];
}

/**
 * An SDK error of a call on `queue`'s queue or function as a domain error naming what failed (`doing`), with the SDK
 * error as `cause`: a missing queue or function `InvalidArgumentError` naming `tablePrefix`, throttling
 * `TransientError`, anything else `StorageError` with the fix when one is known (credentials, region).
 */
export function deadLetterQueueError(error: unknown, doing: string, queue: DeadLetterQueue): EventlakeError {
  if (error instanceof EventlakeError) return error;
  const code = errorCode(error);
  const message = (error as Error)?.message ?? String(error);
  if (code === 'QueueDoesNotExist' || code === 'AWS.SimpleQueueService.NonExistentQueue' || code === 'ResourceNotFoundException') {
    const what = code === 'ResourceNotFoundException' ? `function ${queue.functionName}` : `queue ${queue.queueName}`;
    const notDeployed = queue.target === INDEXER_TARGET ? '' : `; if the stack deploys no projector for ${queue.target} (EventLakeProps.projections), ask for the others with --projection`;
    return new InvalidArgumentError('tablePrefix', `no ${what} in this account and region (${message}): the stack names its dead-letter queues and functions ` +
      `after its prefix; set "tablePrefix" in the config file to the stack's TablePrefix output (the CliConfig output has it), and the region to the stack's${notDeployed}`);
  }
  const failed = `${doing} failed: ${code ?? 'Error'}: ${message}`;
  const fix = credentialsFix(error);
  if (fix) return new StorageError(`${failed}: ${fix}`, { cause: error });
  if (isThrottled(error)) return new TransientError(`${failed}: run the same command again (a listing changes nothing; a redrive applies each event once)`, { cause: error });
  return new StorageError(failed, { cause: error });
}
