// SQS queues in memory behind a real SQSClient (aws-sdk-client-mock): receives hide messages for their visibility
// timeout and raise their receive count, receipt handles change with each receive, deletes and visibility changes need
// the latest one. Nothing here emulates SQS, so the adapter is held to these semantics of the SQS API reference.

import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand,
  SQSClient, type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

interface Stored {
  readonly id: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sentAt: number;
  visibleAt: number;
  receives: number;
  handle: string;
}

interface Queue {
  readonly name: string;
  readonly url: string;
  readonly visibilitySeconds: number;
  messages: Stored[];
}

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

export class MemorySqs {
  readonly client = new SQSClient({ region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  /** With `everyClient`, every SQSClient of the process (one the code under test builds itself) until `mock.restore()`. */
  readonly mock;
  private readonly queues = new Map<string, Queue>();
  /** The clock visibility timeouts run on (ms); move it to let holds run out. */
  now = 1_700_000_000_000;
  /** The next receive hands out receipts that are no longer the latest (as if another reader received them since). */
  staleReceipts = false;

  constructor(options: { everyClient?: boolean } = {}) {
    this.mock = options.everyClient ? mockClient(SQSClient) : mockClient(this.client);
    this.mock.on(GetQueueUrlCommand).callsFake(async (input: { QueueName: string }) => {
      const q = this.queues.get(input.QueueName);
      if (!q) throw Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist', $metadata: { httpStatusCode: 400 } });
      return { QueueUrl: q.url };
    });
    this.mock.on(GetQueueAttributesCommand).callsFake(async (input: { QueueUrl: string }) => ({ Attributes: { QueueArn: this.arnOf(this.byUrl(input.QueueUrl).name) } }));
    this.mock.on(ReceiveMessageCommand).callsFake(async (input: { QueueUrl: string; MaxNumberOfMessages?: number; VisibilityTimeout?: number }) => {
      const q = this.byUrl(input.QueueUrl);
      const visible = q.messages.filter((m) => m.visibleAt <= this.now).slice(0, input.MaxNumberOfMessages ?? 1);
      for (const m of visible) {
        m.visibleAt = this.now + (input.VisibilityTimeout ?? q.visibilitySeconds) * 1000;
        m.receives++;
        m.handle = randomUUID();
      }
      const messages = visible.map((m) => this.asMessage(m));
      if (this.staleReceipts) for (const m of visible) m.handle = randomUUID();
      this.staleReceipts = false;
      return { Messages: messages };
    });
    this.mock.on(DeleteMessageBatchCommand).callsFake(async (input: { QueueUrl: string; Entries: { Id: string; ReceiptHandle: string }[] }) => {
      const q = this.byUrl(input.QueueUrl);
      const failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
      for (const e of input.Entries) {
        const at = q.messages.findIndex((m) => m.handle === e.ReceiptHandle);
        if (at < 0) failed.push({ Id: e.Id, Code: 'ReceiptHandleIsInvalid', Message: 'The receipt handle is not valid', SenderFault: true });
        else q.messages.splice(at, 1);
      }
      return { Successful: input.Entries.filter((e) => !failed.some((f) => f.Id === e.Id)).map((e) => ({ Id: e.Id })), Failed: failed };
    });
    this.mock.on(ChangeMessageVisibilityBatchCommand).callsFake(async (input: { QueueUrl: string; Entries: { Id: string; ReceiptHandle: string; VisibilityTimeout: number }[] }) => {
      const q = this.byUrl(input.QueueUrl);
      for (const e of input.Entries) {
        const m = q.messages.find((x) => x.handle === e.ReceiptHandle);
        if (m) m.visibleAt = this.now + e.VisibilityTimeout * 1000;
      }
      return { Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] };
    });
  }

  /** A queue named `name`, its visibility timeout `visibilitySeconds` (the stack's: 360). */
  queue(name: string, visibilitySeconds = 360): this {
    this.queues.set(name, { name, url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`, visibilitySeconds, messages: [] });
    return this;
  }

  /** A message sent to `name` now, with string message attributes. */
  send(name: string, body: unknown, attributes: Record<string, string> = {}): string {
    const id = randomUUID();
    this.queues.get(name)!.messages.push({ id, body: typeof body === 'string' ? body : JSON.stringify(body), attributes, sentAt: this.now, visibleAt: this.now, receives: 0, handle: '' });
    return id;
  }

  /** The messages of `name`, visible or not: id, receive count and whether it can be received now. */
  messages(name: string): { id: string; body: string; receives: number; visible: boolean }[] {
    return this.queues.get(name)!.messages.map((m) => ({ id: m.id, body: m.body, receives: m.receives, visible: m.visibleAt <= this.now }));
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
  }

  private byUrl(url: string): Queue {
    const q = [...this.queues.values()].find((x) => x.url === url);
    if (!q) throw Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist' });
    return q;
  }

  private asMessage(m: Stored): Message {
    return {
      MessageId: m.id, ReceiptHandle: m.handle, Body: m.body, MD5OfBody: 'md5',
      Attributes: { ApproximateReceiveCount: String(m.receives), SentTimestamp: String(m.sentAt), SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: String(m.sentAt) },
      MessageAttributes: Object.fromEntries(Object.entries(m.attributes).map(([k, v]) => [k, { StringValue: v, DataType: 'String' }])),
    };
  }
}
