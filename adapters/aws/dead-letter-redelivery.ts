// Delivering dead letters again: a batch of a dead-letter queue's messages handed to the queue's function, as an SQS
// event source mapping on the queue would hand it, and the function's verdict on each.

import type { Message } from '@aws-sdk/client-sqs';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaErrorPayload } from './lambda-error-payload.ts';
import { sqsRecordOf } from './sqs-dead-letter-messages.ts';
import { deadLetterQueueError, type DeadLetterQueue } from './stack-dead-letter-queues.ts';

/**
 * Hand `messages` of `queue` (its ARN `arn`, in `region`) to the queue's function as the SQS batch an event source
 * mapping would hand it, synchronously; the function's verdict: the error of each message it failed, by MessageId
 * (none when it took them all). A failed invocation throws `deadLetterQueueError`'s domain error.
 */
export async function redeliver(lambda: LambdaClient, queue: DeadLetterQueue, messages: readonly Message[], arn: string, region: string): Promise<Map<string, string>> {
  const event = { Records: messages.map((m) => sqsRecordOf(m, arn, region)) };
  let out;
  try {
    out = await lambda.send(new InvokeCommand({ FunctionName: queue.functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
  } catch (error) {
    throw deadLetterQueueError(error, `invoking ${queue.functionName}`, queue);
  }
  const payload = out.Payload ? new TextDecoder().decode(out.Payload) : '';
  // Lambda answers 200 for a function that failed too: only FunctionError tells (a batch it failed whole throws).
  if (out.FunctionError) {
    const why = lambdaErrorPayload(payload).errorMessage;
    return new Map(messages.map((m) => [m.MessageId ?? '', `${queue.functionName} failed it again: ${why}`]));
  }
  const answer = parseJson(payload) as { batchItemFailures?: { itemIdentifier?: unknown }[] } | undefined;
  const ids = new Set((answer?.batchItemFailures ?? []).map((f) => String(f.itemIdentifier)));
  return new Map(messages.filter((m) => ids.has(m.MessageId ?? '')).map((m) => [m.MessageId ?? '', `${queue.functionName} failed it again (its log has the error)`]));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
