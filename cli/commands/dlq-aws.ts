// `eventlake dlq list|redrive` with --target aws: the stack's SQS dead-letter queues, read and redriven from here.

import type { AwsEventlakeRuntime } from '../../adapters/aws/open-aws-eventlake.ts';
import { MAX_LISTED_PER_QUEUE, type SqsDeadLetterQueues } from '../../adapters/aws/sqs-dead-letter-queues.ts';
import { INDEXER_TARGET } from '../../adapters/aws/stack-dead-letter-queues.ts';
import type { DeadLetter } from '../../domain/ports/dead-letter-store.ts';
import { knownProjection } from '../options.ts';
import { printRows } from '../output.ts';

/** The target asked for on AWS: a projection of the runtime, or the indexer (whose queue only AWS has). */
function targetOf(runtime: AwsEventlakeRuntime, name: string | undefined): string | undefined {
  if (name === undefined || name === INDEXER_TARGET) return name;
  return knownProjection(runtime.projections, name);
}

/** The queues of the runtime's stack, opened for one command and closed after it. */
async function withQueues<T>(runtime: AwsEventlakeRuntime, use: (queues: SqsDeadLetterQueues) => Promise<T>): Promise<T> {
  const { openAwsDeadLetters } = await import('../../adapters/aws/open-aws-dead-letters.ts');
  const { queues, close } = await openAwsDeadLetters(runtime.config, runtime.projections.map((p) => p.name));
  try {
    return await use(queues);
  } finally {
    await close();
  }
}

/** `dlq list` on AWS: every message of the stack's dead-letter queues (or one target's), oldest first. */
export async function listAwsDeadLetters(runtime: AwsEventlakeRuntime, projection: string | undefined, json: boolean): Promise<readonly DeadLetter[]> {
  const target = targetOf(runtime, projection);
  return withQueues(runtime, async (queues) => {
    const { letters, capped } = await queues.list(target);
    printRows(letters.map((l) => ({ id: l.id, target: l.target, attempts: l.attempts, failedAt: new Date(l.failedAt).toISOString(), error: l.error })), json);
    for (const target of capped) {
      process.stderr.write(`eventlake: the dead-letter queue of ${target} holds more than ${MAX_LISTED_PER_QUEUE} messages; ${MAX_LISTED_PER_QUEUE} of them are listed ` +
        '(SQS hands them out in no order): fix their cause, and `dlq redrive` goes through all of them\n');
    }
    return letters;
  });
}

/**
 * `dlq redrive` on AWS: each message delivered to its function again; those it takes leave their queue. Failures are
 * named on stderr (and in --json), and the exit code is 1 while any remains.
 */
export async function redriveAwsDeadLetters(runtime: AwsEventlakeRuntime, projection: string | undefined, json: boolean): Promise<void> {
  const target = targetOf(runtime, projection);
  return withQueues(runtime, async (queues) => {
    const result = await queues.redrive(target);
    if (json) printRows([{ redriven: result.redriven, failed: result.failed, failures: result.failures }], true);
    else {
      printRows([{ redriven: result.redriven, failed: result.failed }], false);
      for (const f of result.failures) process.stderr.write(`eventlake: ${f.target} ${f.id}: ${f.error}\n`);
    }
    if (result.failed > 0) process.exitCode = 1;
  });
}
