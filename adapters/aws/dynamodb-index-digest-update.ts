// The write of `repair index --target aws` that records an entry's content digest (IndexEntry.digest) read from its event.

import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { errorName, str, withRetries, type Item } from './dynamodb-codec.ts';
import { INDEX_ATTR as A } from './table-keys.ts';

/**
 * Set the digest of the entry at `key`, only while the entry exists (an update must not create a bare item). No other
 * condition: the digest is a function of the event's bytes, which never change, so every writer writes the same value.
 * Returns 'gone' when the entry was removed (compacted away) since the repair read it.
 */
export async function recordDigest(client: DynamoDBClient, table: string, key: Item, digest: string): Promise<'recorded' | 'gone'> {
  try {
    await withRetries(`recording the content digest of ${key[A.sortKey]?.S ?? '?'}`, () => client.send(new UpdateItemCommand({
      TableName: table, Key: key, UpdateExpression: 'SET #d = :d', ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#d': A.digest, '#pk': A.hour }, ExpressionAttributeValues: { ':d': str(digest) },
    })));
    return 'recorded';
  } catch (error) {
    if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    return 'gone';
  }
}
