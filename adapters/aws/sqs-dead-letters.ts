// Dead letters on AWS as the runtime's DeadLetterStore: every call refuses, naming the commands that read the queues.
//
// Why the store refuses rather than reads: SQS has no peek, so a read receives the messages (hides them a while and
// raises their receive count). The runtime's store is read in passing (status, a balance's warnings), which must not
// touch the queues; silently listing nothing would tell an operator "no dead letters" when there may be many. The
// explicit `eventlake dlq list|redrive` read them through SqsDeadLetterQueues (sqs-dead-letter-queues.ts). By hand,
// a function consuming its dead-letter queue is the redrive (the queues sit behind EventBridge rules and async
// invocations, not behind a source queue, so SQS's own start-message-move-task has nowhere to move them back to);
// the mapping must report batch item failures: without ReportBatchItemFailures Lambda ignores the batchItemFailures
// the functions return and deletes the whole batch, failed records included (Lambda Developer Guide, "Handling
// errors for an SQS event source").

import { UnsupportedOnTargetError } from '../../domain/errors.ts';
import type { DeadLetter, DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import { NAME_PATTERNS } from './names.ts';

/** How to look at and redrive the dead letters of a deployed stack. */
export const SQS_DEAD_LETTER_HELP =
  `on AWS, dead letters are the messages of the stack's SQS dead-letter queues (${NAME_PATTERNS.projectorDeadLetterQueue}, ${NAME_PATTERNS.indexerDeadLetterQueue}; ` +
  'URLs in the stack outputs DeadLetterQueueUrl<name>): `eventlake --target aws dlq list` lists them and `eventlake --target aws dlq redrive` ' +
  'delivers them to their functions again. With the AWS CLI instead: inspect one with `aws sqs receive-message --queue-url <dlq-url> --attribute-names All ' +
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
    // Worded for what reaches it: a read in passing (status, a balance's or a verification's note), never `dlq list`.
    return Promise.reject(new UnsupportedOnTargetError('reading the dead-letter queues in passing', 'aws', SQS_DEAD_LETTER_HELP));
  }

  remove(_id: string, _target: string): Promise<void> {
    return Promise.reject(new UnsupportedOnTargetError('removing a dead letter', 'aws', SQS_DEAD_LETTER_HELP));
  }
}

/** `redriveDeadLetters` of the AWS target (`eventlake dlq redrive` and SqsDeadLetterQueues.redrive do it there). */
export function redriveOnSqs(): Promise<never> {
  return Promise.reject(new UnsupportedOnTargetError('the runtime\'s redriveDeadLetters', 'aws', `${SQS_DEAD_LETTER_HELP}; in code, openAwsDeadLetters(config, projections) gives SqsDeadLetterQueues, whose redrive does it`));
}
