// A deployed stack's dead letters, read from its SQS dead-letter queues and redriven through its own functions: what
// `eventlake dlq list|redrive` does with --target aws.
//
// Why not the runtime's DeadLetterStore: SQS has no peek. Reading a queue receives its messages (each hidden for a
// while, its receive count raised), so only an operator's explicit `dlq` command reads them; the reads made in passing
// (status, a balance's warnings, snapshot and verify notes) keep UNSUPPORTED_ON_TARGET and touch no queue.
// Why redrive by invoking the function: the queues sit behind EventBridge rules and asynchronous invocations, not behind
// a source queue, so SQS's own message move has nowhere to send them; each function accepts an SQS batch of bus events
// (what an event source mapping on the queue would hand it) and reports the records it failed, and both are idempotent.

import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { DeadLetter } from '../../domain/ports/dead-letter-store.ts';
import { DeadLetterQueueCalls } from './dead-letter-queue-calls.ts';
import { redeliver } from './dead-letter-redelivery.ts';
import { deadLetterId, deadLetterOf } from './sqs-dead-letter-messages.ts';
import type { DeadLetterQueue } from './stack-dead-letter-queues.ts';

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

/** How long a listing hides what it has read (released as soon as it ends; this bounds a crashed listing's effect). */
export const LIST_HOLD_SECONDS = 120;

/** At most this many messages are listed per queue; a queue holding more has a cause to fix before a listing helps. */
export const MAX_LISTED_PER_QUEUE = 10_000;

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
  /** Each queue's calls, kept so its URL is asked of SQS once. */
  private readonly calls = new Map<string, DeadLetterQueueCalls>();

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

  private callsOf(queue: DeadLetterQueue): DeadLetterQueueCalls {
    let calls = this.calls.get(queue.queueName);
    if (!calls) this.calls.set(queue.queueName, calls = new DeadLetterQueueCalls(this.options.sqs, queue));
    return calls;
  }

  private async listQueue(queue: DeadLetterQueue): Promise<{ letters: DeadLetter[]; capped: boolean }> {
    const calls = this.callsOf(queue);
    // By MessageId, with the latest receipt: a message read twice (a listing longer than the hold) is listed once.
    const held = new Map<string, Message>();
    let capped = false;
    try {
      for (;;) {
        const page = await calls.receive(LIST_HOLD_SECONDS);
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
          await calls.release(fresh.slice(room));
          break;
        }
      }
    } finally {
      await calls.release([...held.values()]);
    }
    return { letters: [...held.values()].map((m) => deadLetterOf(queue.target, m)), capped };
  }

  private async redriveQueue(queue: DeadLetterQueue): Promise<{ redriven: number; failures: RedriveFailure[] }> {
    const calls = this.callsOf(queue);
    const arn = await calls.arn();
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
        const page = await calls.receive(undefined);
        const fresh = page.filter((m) => !handled.has(m.MessageId ?? ''));
        for (const m of page) if (handled.has(m.MessageId ?? '')) release.set(m.MessageId ?? '', m);
        if (fresh.length === 0) break;
        for (const m of fresh) handled.add(m.MessageId ?? '');
        let errors: Map<string, string>;
        try {
          errors = await redeliver(this.options.lambda!, queue, fresh, arn, region);
        } catch (error) {
          for (const m of fresh) release.set(m.MessageId ?? '', m);
          throw error;
        }
        const delivered = fresh.filter((m) => !errors.has(m.MessageId ?? ''));
        const undeleted = await calls.remove(delivered);
        redriven += delivered.length - undeleted.size;
        for (const m of fresh) {
          const error = errors.get(m.MessageId ?? '') ?? undeleted.get(m.MessageId ?? '');
          if (error === undefined) continue;
          failures.push({ id: deadLetterId(m), target: queue.target, error });
          if (errors.has(m.MessageId ?? '')) release.set(m.MessageId ?? '', m);
        }
      }
    } finally {
      await calls.release([...release.values()]);
    }
    return { redriven, failures };
  }
}
