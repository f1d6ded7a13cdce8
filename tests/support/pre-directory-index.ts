// An event index as a version before the hour directory left it: its entries and id guards, and no directory item
// or marker. Made by indexing with this version and deleting the directory's items, so entries are exactly alike.

import { DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanItems } from '../../adapters/aws/dynamodb-codec.ts';
import { INDEX_ATTR as A, INDEX_DIRECTORY } from '../../adapters/aws/table-keys.ts';

/** Delete every item of the hour directory (hour items and the marker) from `table`; returns how many there were. */
export async function forgetDirectory(client: DynamoDBClient, table: string): Promise<number> {
  let deleted = 0;
  for await (const item of scanItems(client, {
    TableName: table, ConsistentRead: true, FilterExpression: 'begins_with(#pk, :d)',
    ExpressionAttributeNames: { '#pk': A.hour }, ExpressionAttributeValues: { ':d': { S: INDEX_DIRECTORY.prefix } },
  })) {
    await client.send(new DeleteItemCommand({ TableName: table, Key: { [A.hour]: item[A.hour]!, [A.sortKey]: item[A.sortKey]! } }));
    deleted++;
  }
  return deleted;
}

/** Count the commands `client` sends from now on, by name (`QueryCommand`, …); `reset` starts over. */
export function commandCounter(client: DynamoDBClient): { count(name: string): number; reset(): void } {
  const sent: string[] = [];
  client.middlewareStack.add((next, context) => async (args) => {
    sent.push(String(context.commandName));
    return next(args);
  }, { step: 'initialize', name: `countCommands${Math.random()}` });
  return { count: (name) => sent.filter((n) => n === name).length, reset: () => { sent.length = 0; } };
}
