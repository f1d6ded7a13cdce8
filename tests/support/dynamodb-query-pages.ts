// Counting the DynamoDB Queries that continued a page (sent with an ExclusiveStartKey), so a test can show that an
// adapter's read really crossed pages rather than fitting in one.

import type { DynamoDBClient, QueryCommandInput } from '@aws-sdk/client-dynamodb';

const counters = new WeakMap<DynamoDBClient, { continued: number }>();

/**
 * How many Queries `client` has sent with an ExclusiveStartKey so far: a middleware counts them, added to the client
 * the first time (the test helpers share one client per process, so later calls read the same count). Take the
 * difference across a read.
 *
 * @example
 * const continued = continuedQueries(db.client);
 * const before = continued();
 * await read();
 * assert.ok(continued() > before, 'the read crossed a page');
 */
export function continuedQueries(client: DynamoDBClient): () => number {
  let counter = counters.get(client);
  if (!counter) {
    const count = { continued: 0 };
    client.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand' && (args.input as QueryCommandInput).ExclusiveStartKey) count.continued++;
      return next(args);
    }, { step: 'initialize', name: 'eventlakeTestContinuedQueries' });
    counters.set(client, (counter = count));
  }
  const read = counter;
  return () => read.continued;
}
