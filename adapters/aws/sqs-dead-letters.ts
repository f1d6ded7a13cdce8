// Dead letters on AWS: they sit in the stack's SQS dead-letter queues, which this package does not read.
//
// Why not an SqsDeadLetterStore: @aws-sdk/client-sqs is not a dependency, and the queues are the stack's (one per
// projector, one for the indexer; each has an alarm). Silently listing nothing would tell an operator "no dead
// letters" when there may be many, so every call fails with the way to do it instead. The stack's dead-letter
// queues sit behind EventBridge rules and async invocations, not behind a source queue, so SQS's own
// start-message-move-task has nowhere to move them back to; the functions, though, accept SQS batches of bus events
// and are idempotent, so letting a function consume its dead-letter queue is the redrive. The mapping must report
// batch item failures: without ReportBatchItemFailures Lambda ignores the batchItemFailures the functions return
// and deletes the whole batch, failed records included (Lambda Developer Guide, "Handling errors for an SQS event source").

import { UnsupportedOnTargetError } from '../../domain/errors.ts';
import type { DeadLetter, DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import { NAME_PATTERNS } from './names.ts';

/** How to look at and redrive the dead letters of a deployed stack. */
export const SQS_DEAD_LETTER_HELP =
  `on AWS, dead letters are the messages of the stack's SQS dead-letter queues (${NAME_PATTERNS.projectorDeadLetterQueue}, ${NAME_PATTERNS.indexerDeadLetterQueue}; ` +
  'URLs in the stack outputs DeadLetterQueueUrl<name>). Inspect one with `aws sqs receive-message --queue-url <dlq-url> --attribute-names All ' +
  '--max-number-of-messages 10`; redrive it by letting its function consume it (idempotent): `aws lambda create-event-source-mapping ' +
  `--function-name ${NAME_PATTERNS.projectorFunction} --event-source-arn <dlq-arn> --function-response-types ReportBatchItemFailures\`, ` +
  'and delete the mapping once the queue is empty';

/** Re-exported from domain/errors.ts, where it now lives (every target may refuse an operation). */
export { UnsupportedOnTargetError };

/**
 * The DeadLetterStore of the AWS target: every call throws `UnsupportedOnTargetError` pointing at the SQS tools.
 *
 * @example
 * await runtime.deadLetters.list(); // throws UnsupportedOnTargetError (code UNSUPPORTED_ON_TARGET)
 */
export class SqsConsoleDeadLetterStore implements DeadLetterStore {
  add(_letter: DeadLetter): Promise<void> {
    return Promise.reject(new UnsupportedOnTargetError('adding a dead letter', 'aws', 'EventBridge and Lambda dead-letter failed deliveries themselves'));
  }

  list(_target?: string): Promise<DeadLetter[]> {
    return Promise.reject(new UnsupportedOnTargetError('eventlake dlq list', 'aws', SQS_DEAD_LETTER_HELP));
  }

  remove(_id: string, _target: string): Promise<void> {
    return Promise.reject(new UnsupportedOnTargetError('removing a dead letter', 'aws', SQS_DEAD_LETTER_HELP));
  }
}

/** `redriveDeadLetters` of the AWS target. */
export function redriveOnSqs(): Promise<never> {
  return Promise.reject(new UnsupportedOnTargetError('eventlake dlq redrive', 'aws', SQS_DEAD_LETTER_HELP));
}
