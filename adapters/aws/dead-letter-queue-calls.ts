// The SQS calls on one dead-letter queue, each SDK failure worded as a domain error naming the queue.

import {
  ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand,
  type Message, type SQSClient,
} from '@aws-sdk/client-sqs';
import { StorageError } from '../../domain/errors.ts';
import { deadLetterQueueError, type DeadLetterQueue } from './stack-dead-letter-queues.ts';

/** SQS's largest batch, for receives, deletes and visibility changes alike. */
export const SQS_BATCH = 10;

const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / SQS_BATCH) }, (_, i) => items.slice(i * SQS_BATCH, (i + 1) * SQS_BATCH));

/**
 * Receives, releases and deletes the messages of `queue`, up to SQS_BATCH a call.
 *
 * @example
 * const calls = new DeadLetterQueueCalls(sqs, queue);
 * const page = await calls.receive(120);
 * await calls.release(page);
 */
export class DeadLetterQueueCalls {
  private known: Promise<string> | undefined;

  constructor(private readonly sqs: SQSClient, readonly queue: DeadLetterQueue) {}

  /** Deletes `messages`; returns those SQS did not delete, with why (they come back, and a later redrive applies them once). */
  async remove(messages: readonly Message[]): Promise<Map<string, string>> {
    const { queue } = this;
    const undeleted = new Map<string, string>();
    for (const part of chunks(messages)) {
      let out;
      try {
        out = await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: await this.url(), Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
      } catch (error) {
        throw deadLetterQueueError(error, `deleting redriven messages from ${queue.queueName}`, queue);
      }
      for (const f of out.Failed ?? []) {
        const m = part[Number(f.Id)];
        if (m) undeleted.set(m.MessageId ?? '', `delivered, but SQS did not delete it from ${queue.queueName} (${f.Code}: ${f.Message ?? ''}); a later redrive delivers it again, applied once`);
      }
    }
    return undeleted;
  }

  async receive(visibilityTimeout: number | undefined): Promise<Message[]> {
    const { queue } = this;
    try {
      const out = await this.sqs.send(new ReceiveMessageCommand({
        QueueUrl: await this.url(), MaxNumberOfMessages: SQS_BATCH,
        // Long polling asks every SQS host, so an empty answer means an empty queue (short polls sample a few hosts).
        WaitTimeSeconds: 1,
        ...(visibilityTimeout === undefined ? {} : { VisibilityTimeout: visibilityTimeout }),
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp'],
        MessageAttributeNames: ['All'],
      }));
      return out.Messages ?? [];
    } catch (error) {
      throw deadLetterQueueError(error, `reading ${queue.queueName}`, queue);
    }
  }

  /** Makes `messages` visible again now. A failed release is not thrown: the messages come back when their hold ends. */
  async release(messages: readonly Message[]): Promise<void> {
    for (const part of chunks(messages)) {
      await this.sqs.send(new ChangeMessageVisibilityBatchCommand({
        QueueUrl: await this.url(), Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
      })).catch(() => undefined);
    }
  }

  /** The queue's URL, asked of SQS once (asked again after a failure). */
  url(): Promise<string> {
    const { queue } = this;
    if (!this.known) {
      const url = this.sqs.send(new GetQueueUrlCommand({ QueueName: queue.queueName })).then(
        (out) => out.QueueUrl ?? Promise.reject(new StorageError(`SQS gave no URL for ${queue.queueName}`)),
        (error: unknown) => Promise.reject(deadLetterQueueError(error, `finding the queue ${queue.queueName}`, queue)),
      );
      url.catch(() => { this.known = undefined; });
      this.known = url;
    }
    return this.known;
  }

  async arn(): Promise<string> {
    const { queue } = this;
    try {
      const out = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: await this.url(), AttributeNames: ['QueueArn'] }));
      return out.Attributes?.QueueArn ?? '';
    } catch (error) {
      throw deadLetterQueueError(error, `reading the ARN of ${queue.queueName}`, queue);
    }
  }
}
