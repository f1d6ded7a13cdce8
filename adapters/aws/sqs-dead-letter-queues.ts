// A deployed stack's dead letters, read from its SQS dead-letter queues and redriven through its own functions: what
// `eventlake dlq list|redrive` does with --target aws.
//
// Why not the runtime's DeadLetterStore: SQS has no peek. Reading a queue receives its messages (each hidden for a
// while, its receive count raised), so only an operator's explicit `dlq` command reads them; the reads made in passing
// (status, a balance's warnings, snapshot and verify notes) keep UNSUPPORTED_ON_TARGET and touch no queue.
// Why redrive by invoking the function: the queues sit behind EventBridge rules and asynchronous invocations, not behind
// a source queue, so SQS's own message move has nowhere to send them; each function accepts an SQS batch of bus events
// (what an event source mapping on the queue would hand it) and reports the records it failed, and both are idempotent.

import {
  ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand,
  type Message, type SQSClient,
} from '@aws-sdk/client-sqs';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { EventlakeError, InvalidArgumentError, StorageError, TransientError } from '../../domain/errors.ts';
import type { DeadLetter } from '../../domain/ports/dead-letter-store.ts';
import { credentialsFix, errorCode, isThrottled } from './errors.ts';
import { lakeNames } from './names.ts';
import { deadLetterId, deadLetterOf, sqsRecordOf } from './sqs-dead-letter-messages.ts';

/** One dead-letter queue of the stack: whose it is, and the function that delivers its messages. */
export interface DeadLetterQueue {
  /** A projection's name, or `indexer`. */
  readonly target: string;
  readonly queueName: string;
  readonly functionName: string;
}

/** A dead letter its function failed again, left in its queue. */
export interface RedriveFailure {
  readonly id: string;
  readonly target: string;
  readonly error: string;
}

/** What `list` read: the dead letters, oldest first, and the targets whose queue held more than it lists. */
export interface SqsDeadLetterListing {
  readonly letters: readonly DeadLetter[];
  /** Targets whose queue still held messages after MAX_LISTED_PER_QUEUE were read (SQS hands them out in no order). */
  readonly capped: readonly string[];
}

export interface SqsRedriveResult {
  readonly redriven: number;
  readonly failed: number;
  readonly failures: readonly RedriveFailure[];
}

export interface SqsDeadLetterQueuesOptions {
  /** Used as it is and never destroyed here (the caller owns it). */
  readonly sqs: SQSClient;
  /** Needed by `redrive` only. */
  readonly lambda?: LambdaClient;
  readonly queues: readonly DeadLetterQueue[];
  /** At most this many messages listed per queue (default MAX_LISTED_PER_QUEUE). */
  readonly maxListedPerQueue?: number;
}

/** The target that stands for the indexer's queue (no projection may take the name). */
export const INDEXER_TARGET = 'indexer';

/** How long a listing hides what it has read (released as soon as it ends; this bounds a crashed listing's effect). */
export const LIST_HOLD_SECONDS = 120;

/** At most this many messages are listed per queue; a queue holding more has a cause to fix before a listing helps. */
export const MAX_LISTED_PER_QUEUE = 10_000;

/** SQS's largest batch, for receives, deletes and visibility changes alike. */
const SQS_BATCH = 10;

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

const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / SQS_BATCH) }, (_, i) => items.slice(i * SQS_BATCH, (i + 1) * SQS_BATCH));

/**
 * Lists and redrives the dead letters of a deployed stack.
 * - `list` receives every message of the queues asked for (hidden for LIST_HOLD_SECONDS at most, then made visible
 *   again at once), at most `maxListedPerQueue` each (`capped` names a queue that held more), oldest first, the
 *   queues read side by side. Each read raises the messages' receive count.
 * - `redrive` receives the messages ten at a time (hidden for the queue's own visibility timeout, which the stack sets
 *   above the function's), invokes the queue's function with them as an SQS batch, deletes the ones it did not
 *   report failed, and makes the failed ones visible again. A message whose function fails it keeps its place.
 * SDK failures become domain errors: a missing queue or function `InvalidArgumentError` naming `tablePrefix`,
 * throttling `TransientError`, anything else `StorageError` with the fix when one is known (credentials, region).
 *
 * @example
 * const dlq = new SqsDeadLetterQueues({ sqs: new SQSClient({}), lambda: new LambdaClient({}), queues: stackDeadLetterQueues('eventlake', ['balances', 'statement']) });
 * for (const l of (await dlq.list('balances')).letters) console.log(l.id, l.error);
 * const { redriven, failed } = await dlq.redrive('balances');
 */
export class SqsDeadLetterQueues {
  private readonly urls = new Map<string, Promise<string>>();

  constructor(private readonly options: SqsDeadLetterQueuesOptions) {}

  /** The targets with a queue: `indexer`, then the projections. */
  targets(): string[] {
    return this.options.queues.map((q) => q.target);
  }

  async list(target?: string): Promise<SqsDeadLetterListing> {
    // Side by side: each queue's read ends with an empty long poll (a second), which need not add up. Every read is
    // waited for, failed or not, so none is still holding messages when the caller closes the client.
    const settled = await Promise.allSettled(this.queuesOf(target).map(async (queue) => ({ queue, ...await this.listQueue(queue) })));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const read = settled.map((r) => (r as PromiseFulfilledResult<{ queue: DeadLetterQueue; letters: DeadLetter[]; capped: boolean }>).value);
    return {
      letters: read.flatMap((r) => r.letters).sort((a, b) => a.failedAt - b.failedAt),
      capped: read.filter((r) => r.capped).map((r) => r.queue.target),
    };
  }

  async redrive(target?: string): Promise<SqsRedriveResult> {
    if (!this.options.lambda) throw new InvalidArgumentError('lambda', 'redriving dead letters invokes the stack\'s functions: give SqsDeadLetterQueues a Lambda client');
    let redriven = 0;
    const failures: RedriveFailure[] = [];
    for (const queue of this.queuesOf(target)) {
      const result = await this.redriveQueue(queue);
      redriven += result.redriven;
      failures.push(...result.failures);
    }
    return { redriven, failed: failures.length, failures };
  }

  private queuesOf(target: string | undefined): readonly DeadLetterQueue[] {
    if (target === undefined) return this.options.queues;
    const queue = this.options.queues.find((q) => q.target === target);
    if (!queue) throw new InvalidArgumentError('projection', `no dead-letter queue for "${target}": the stack has them for ${this.targets().join(', ')}`);
    return [queue];
  }

  private async listQueue(queue: DeadLetterQueue): Promise<{ letters: DeadLetter[]; capped: boolean }> {
    const url = await this.urlOf(queue);
    // By MessageId, with the latest receipt: a message read twice (a listing longer than the hold) is listed once.
    const held = new Map<string, Message>();
    let capped = false;
    try {
      for (;;) {
        const page = await this.receive(queue, url, LIST_HOLD_SECONDS);
        const fresh = page.filter((m) => !held.has(m.MessageId ?? ''));
        // Nothing new: the queue is read to its end (or the hold ran out and everything came round again).
        if (fresh.length === 0) {
          for (const m of page) held.set(m.MessageId ?? '', m);
          break;
        }
        const room = (this.options.maxListedPerQueue ?? MAX_LISTED_PER_QUEUE) - held.size;
        for (const m of page) if (held.has(m.MessageId ?? '') || fresh.indexOf(m) < room) held.set(m.MessageId ?? '', m);
        if (fresh.length > room) {
          // The rest of the page is released unlisted: the listing stops at its cap.
          capped = true;
          await this.release(url, fresh.slice(room));
          break;
        }
      }
    } finally {
      await this.release(url, [...held.values()]);
    }
    return { letters: [...held.values()].map((m) => deadLetterOf(queue.target, m)), capped };
  }

  private async redriveQueue(queue: DeadLetterQueue): Promise<{ redriven: number; failures: RedriveFailure[] }> {
    const url = await this.urlOf(queue);
    const arn = await this.arnOf(queue, url);
    const region = await this.options.sqs.config.region();
    // Messages this run has handed to the function, by MessageId: one received again (its hold ran out, or SQS did
    // not delete it) is not delivered twice; it is made visible again with the failed ones, under its latest receipt.
    const handled = new Set<string>();
    const release = new Map<string, Message>();
    const failures: RedriveFailure[] = [];
    let redriven = 0;
    try {
      for (;;) {
        // The queue's own visibility timeout (no VisibilityTimeout): the stack sets it above the function's timeout.
        const page = await this.receive(queue, url, undefined);
        const fresh = page.filter((m) => !handled.has(m.MessageId ?? ''));
        for (const m of page) if (handled.has(m.MessageId ?? '')) release.set(m.MessageId ?? '', m);
        if (fresh.length === 0) break;
        for (const m of fresh) handled.add(m.MessageId ?? '');
        let errors: Map<string, string>;
        try {
          errors = await this.deliver(queue, fresh, arn, region);
        } catch (error) {
          for (const m of fresh) release.set(m.MessageId ?? '', m);
          throw error;
        }
        const delivered = fresh.filter((m) => !errors.has(m.MessageId ?? ''));
        const undeleted = await this.remove(queue, url, delivered);
        redriven += delivered.length - undeleted.size;
        for (const m of fresh) {
          const error = errors.get(m.MessageId ?? '') ?? undeleted.get(m.MessageId ?? '');
          if (error === undefined) continue;
          failures.push({ id: deadLetterId(m), target: queue.target, error });
          if (errors.has(m.MessageId ?? '')) release.set(m.MessageId ?? '', m);
        }
      }
    } finally {
      await this.release(url, [...release.values()]);
    }
    return { redriven, failures };
  }

  /** The function's verdict on `messages`: the error of each it failed, by MessageId (none when it took them all). */
  private async deliver(queue: DeadLetterQueue, messages: readonly Message[], arn: string, region: string): Promise<Map<string, string>> {
    const lambda = this.options.lambda!;
    const event = { Records: messages.map((m) => sqsRecordOf(m, arn, region)) };
    let out;
    try {
      out = await lambda.send(new InvokeCommand({ FunctionName: queue.functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
    } catch (error) {
      throw this.sdkError(error, `invoking ${queue.functionName}`, queue);
    }
    const payload = out.Payload ? new TextDecoder().decode(out.Payload) : '';
    const answer = parseJson(payload) as { errorMessage?: unknown; errorType?: unknown; batchItemFailures?: { itemIdentifier?: unknown }[] } | undefined;
    // Lambda answers 200 for a function that failed too: only FunctionError tells (a batch it failed whole throws).
    if (out.FunctionError) {
      const why = typeof answer?.errorMessage === 'string' ? answer.errorMessage : payload.slice(0, 300) || out.FunctionError;
      return new Map(messages.map((m) => [m.MessageId ?? '', `${queue.functionName} failed it again: ${why}`]));
    }
    const ids = new Set((answer?.batchItemFailures ?? []).map((f) => String(f.itemIdentifier)));
    return new Map(messages.filter((m) => ids.has(m.MessageId ?? '')).map((m) => [m.MessageId ?? '', `${queue.functionName} failed it again (its log has the error)`]));
  }

  /** Deletes `messages`; returns those SQS did not delete, with why (they come back, and a later redrive applies them once). */
  private async remove(queue: DeadLetterQueue, url: string, messages: readonly Message[]): Promise<Map<string, string>> {
    const undeleted = new Map<string, string>();
    for (const part of chunks(messages)) {
      let out;
      try {
        out = await this.options.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
      } catch (error) {
        throw this.sdkError(error, `deleting redriven messages from ${queue.queueName}`, queue);
      }
      for (const f of out.Failed ?? []) {
        const m = part[Number(f.Id)];
        if (m) undeleted.set(m.MessageId ?? '', `delivered, but SQS did not delete it from ${queue.queueName} (${f.Code}: ${f.Message ?? ''}); a later redrive delivers it again, applied once`);
      }
    }
    return undeleted;
  }

  private async receive(queue: DeadLetterQueue, url: string, visibilityTimeout: number | undefined): Promise<Message[]> {
    try {
      const out = await this.options.sqs.send(new ReceiveMessageCommand({
        QueueUrl: url, MaxNumberOfMessages: SQS_BATCH,
        // Long polling asks every SQS host, so an empty answer means an empty queue (short polls sample a few hosts).
        WaitTimeSeconds: 1,
        ...(visibilityTimeout === undefined ? {} : { VisibilityTimeout: visibilityTimeout }),
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp'],
        MessageAttributeNames: ['All'],
      }));
      return out.Messages ?? [];
    } catch (error) {
      throw this.sdkError(error, `reading ${queue.queueName}`, queue);
    }
  }

  /** Makes `messages` visible again now. A failed release is not thrown: the messages come back when their hold ends. */
  private async release(url: string, messages: readonly Message[]): Promise<void> {
    for (const part of chunks(messages)) {
      await this.options.sqs.send(new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url, Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
      })).catch(() => undefined);
    }
  }

  private urlOf(queue: DeadLetterQueue): Promise<string> {
    let url = this.urls.get(queue.queueName);
    if (!url) {
      url = this.options.sqs.send(new GetQueueUrlCommand({ QueueName: queue.queueName })).then(
        (out) => out.QueueUrl ?? Promise.reject(new StorageError(`SQS gave no URL for ${queue.queueName}`)),
        (error: unknown) => Promise.reject(this.sdkError(error, `finding the queue ${queue.queueName}`, queue)),
      );
      url.catch(() => this.urls.delete(queue.queueName));
      this.urls.set(queue.queueName, url);
    }
    return url;
  }

  private async arnOf(queue: DeadLetterQueue, url: string): Promise<string> {
    try {
      const out = await this.options.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
      return out.Attributes?.QueueArn ?? '';
    } catch (error) {
      throw this.sdkError(error, `reading the ARN of ${queue.queueName}`, queue);
    }
  }

  /** No SDK error type leaves here: each becomes a domain error naming what failed, with the SDK error as `cause`. */
  private sdkError(error: unknown, doing: string, queue: DeadLetterQueue): EventlakeError {
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
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
