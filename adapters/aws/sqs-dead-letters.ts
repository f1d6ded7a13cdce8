// Dead letters on AWS: they sit in the projector queues' SQS dead-letter queues, which this package does not read.
//
// Why not an SqsDeadLetterStore: @aws-sdk/client-sqs is not a dependency, and SQS already has the right tools
// (the console's "Start DLQ redrive", `aws sqs start-message-move-task`). Silently listing nothing would tell an
// operator "no dead letters" when there may be many, so every call fails with the way to do it instead.

import { EventlakeError } from '../../domain/errors.ts';
import type { DeadLetter, DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';

/** How to look at and redrive the dead letters of a deployed stack. */
export const SQS_DEAD_LETTER_HELP =
  'on AWS, dead letters are the messages in each projector queue\'s SQS dead-letter queue (see the stack outputs). ' +
  'Inspect them with `aws sqs receive-message --queue-url <dlq-url> --attribute-names All --max-number-of-messages 10` ' +
  'and redrive them with `aws sqs start-message-move-task --source-arn <dlq-arn>` or the SQS console\'s "Start DLQ redrive"';

/** The operation is not available on this target; the message says what to use instead. */
export class UnsupportedOnTargetError extends EventlakeError {
  readonly code = 'UNSUPPORTED_ON_TARGET';
  constructor(readonly operation: string, readonly target: string, instead: string) {
    super(`${operation} is not available with --target ${target}: ${instead}`);
  }
}

/**
 * The DeadLetterStore of the AWS target: every call throws `UnsupportedOnTargetError` pointing at the SQS tools.
 *
 * @example
 * await runtime.deadLetters.list(); // throws UnsupportedOnTargetError (code UNSUPPORTED_ON_TARGET)
 */
export class SqsConsoleDeadLetterStore implements DeadLetterStore {
  add(_letter: DeadLetter): Promise<void> {
    return Promise.reject(new UnsupportedOnTargetError('adding a dead letter', 'aws', 'the projector queues dead-letter failed messages themselves'));
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
