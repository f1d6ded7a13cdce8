// What one message of a stack's dead-letter queue says: the dead letter it stands for, and the SQS record a function
// is handed to deliver it again.
//
// Two writers fill these queues, both with the EventBridge event the function was to receive as the body: EventBridge,
// when it could not invoke the function (attributes ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS, RULE_ARN, TARGET_ARN),
// and Lambda, when the function failed every asynchronous attempt (attributes RequestID, ErrorCode, a Number, and
// ErrorMessage, cut to 1 KB: Lambda Developer Guide, "Dead-letter queues"). SQS carries a Number in StringValue too.

import type { Message } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { eventId } from '../../domain/event.ts';
import type { DeadLetter } from '../../domain/ports/dead-letter-store.ts';

/** Attempts Lambda makes of an asynchronous invocation before dead-lettering it: the first and the stack's 2 retries. */
export const ASYNC_ATTEMPTS = 3;

function attribute(message: Message, name: string): string | undefined {
  return message.MessageAttributes?.[name]?.StringValue;
}

function parsedBody(message: Message): { detail?: unknown } | undefined {
  try {
    const body: unknown = JSON.parse(message.Body ?? '');
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the message is about: the event's identity (`cash_deposit_<RequestId>`, as a local dead letter's id) for a
 * projector's event or pointer, the log object's key for the indexer's S3 notification, else `message <MessageId>`.
 */
export function deadLetterId(message: Message): string {
  const detail = parsedBody(message)?.detail as { EventType?: unknown; RequestId?: unknown; object?: { key?: unknown } } | undefined;
  if (typeof detail?.EventType === 'string' && typeof detail.RequestId === 'string') return eventId({ EventType: detail.EventType, RequestId: detail.RequestId });
  if (typeof detail?.object?.key === 'string') return detail.object.key;
  return `message ${message.MessageId ?? '(no id)'}`;
}

/** The error its writer recorded, `CODE: message`; the queue's own words when neither writer's attributes are there. */
export function deadLetterError(message: Message): string {
  const code = attribute(message, 'ERROR_CODE') ?? attribute(message, 'ErrorCode');
  const text = attribute(message, 'ERROR_MESSAGE') ?? attribute(message, 'ErrorMessage');
  if (code === undefined && text === undefined) return 'no error recorded with the message (the function\'s log has it)';
  return [code, text].filter((s) => s !== undefined).join(': ');
}

/** Attempts before the message was dead-lettered: EventBridge counts its retries, Lambda's asynchronous ones are fixed. */
function attemptsOf(message: Message): number {
  const retries = Number(attribute(message, 'RETRY_ATTEMPTS'));
  if (Number.isInteger(retries) && retries >= 0) return retries + 1;
  return attribute(message, 'RequestID') !== undefined ? ASYNC_ATTEMPTS : 1;
}

/** The dead letter of `message`, read from queue `target` (a projection's name, or `indexer`). */
export function deadLetterOf(target: string, message: Message): DeadLetter {
  const sent = Number(message.Attributes?.SentTimestamp);
  return { id: deadLetterId(message), target, error: deadLetterError(message), attempts: attemptsOf(message), failedAt: Number.isFinite(sent) ? sent : 0 };
}

/**
 * The record an SQS event source mapping would hand the function for `message`: the functions read its body (the
 * EventBridge event) and its receive count (a projector counts a dead letter once, on the first delivery), and report
 * failures by `messageId`. Message attributes are left out: no function reads them.
 */
export function sqsRecordOf(message: Message, queueArn: string, region: string): SQSRecord {
  const a = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? '0',
      SenderId: a.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? '0',
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
