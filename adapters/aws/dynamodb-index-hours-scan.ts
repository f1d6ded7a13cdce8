// The UTC hours a DynamoDB event index holds entries of, found by one key-only parallel Scan: what the hour directory's
// backfill records and what the accounts repair walks, whether or not the directory is complete. `repair index`
// scans once and hands the same hours to both (repairAwsIndexTable): the Scan reads every item of the table.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readStr, scanItems, str } from './dynamodb-codec.ts';
import { INDEX_ATTR as A, INDEX_PREFIX } from './table-keys.ts';

/** Parallel Scan segments of the hour listing. */
const SEGMENTS = 4;

/** Start (epoch seconds) of every hour holding an entry, ascending. */
export async function entryHours(client: DynamoDBClient, table: string): Promise<number[]> {
  const hours = new Set<number>();
  await Promise.all(Array.from({ length: SEGMENTS }, async (_, segment) => {
    for await (const item of scanItems(client, {
      TableName: table, ConsistentRead: true, Segment: segment, TotalSegments: SEGMENTS, ProjectionExpression: '#pk',
      FilterExpression: 'begins_with(#pk, :h)', ExpressionAttributeNames: { '#pk': A.hour }, ExpressionAttributeValues: { ':h': str(INDEX_PREFIX.hour) },
    })) hours.add(Number(readStr(item, A.hour).slice(INDEX_PREFIX.hour.length)));
  }));
  return [...hours].sort((a, b) => a - b);
}
