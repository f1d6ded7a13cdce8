// The dead-letter queues of a deployed stack, ready to list and redrive: SQS and Lambda clients built from the config.

import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { baseClientConfig, clientOwner, requireRegionOrClose } from './aws-clients.ts';
import { envEndpoint, type AwsEventlakeConfig } from './aws-config.ts';
import { SqsDeadLetterQueues } from './sqs-dead-letter-queues.ts';
import { stackDeadLetterQueues } from './stack-dead-letter-queues.ts';

/** The queues, and how to release the clients built for them. */
export interface AwsDeadLetters {
  readonly queues: SqsDeadLetterQueues;
  close(): Promise<void>;
}

/** The stack's prefix when the config names none (the CDK construct's default). */
const DEFAULT_PREFIX = 'eventlake';

/**
 * The dead-letter queues of the stack `config` points at (the indexer's and one per projection in `projections`),
 * named after `config.tablePrefix` as the stack names them. Clients in `config.clients.sqs` / `.lambda` are used as
 * they are (and stay the caller's); otherwise they are built with the config's region and endpoint. Loaded only by
 * `eventlake dlq` with --target aws, so no other command loads the SQS SDK.
 *
 * @example
 * const { queues, close } = await openAwsDeadLetters(config, ['balances', 'statement']);
 * try { console.log(await queues.list()); } finally { await close(); }
 */
export async function openAwsDeadLetters(config: AwsEventlakeConfig, projections: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<AwsDeadLetters> {
  const owner = clientOwner();
  // An endpoint from the environment (an emulator) is kept for every call: by default the SDK sends each call to its
  // QueueUrl's host instead, which an emulator may name after a host that does not resolve (sqs.<region>.localhost).
  const viaEnv = !config.endpoint && envEndpoint(env, 'SQS') !== undefined;
  const sqs = config.clients?.sqs ?? owner.own(new SQSClient({ ...baseClientConfig(config), ...(viaEnv ? { useQueueUrlAsEndpoint: false } : {}) }));
  const lambda = config.clients?.lambda ?? owner.own(new LambdaClient(baseClientConfig(config)));
  await requireRegionOrClose(sqs, owner);
  return { queues: new SqsDeadLetterQueues({ sqs, lambda, queues: stackDeadLetterQueues(config.tablePrefix ?? DEFAULT_PREFIX, projections) }), close: owner.close };
}
