// Whole-index reads of DynamoDbEventIndex: objects and their storage state, and the entry count.
//
// Scans read (and bill) the whole table whatever the filter drops; they serve operator commands (archive, restore),
// never the ingest path.

import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import { scanItems, str, withRetries, type Item } from './dynamodb-codec.ts';
import { fromItem } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A, INDEX_PREFIX } from './table-keys.ts';

export interface IndexTable {
  readonly client: DynamoDBClient;
  readonly table: string;
}

/** One object of the log as `EventIndex.objects` describes it. */
export type ObjectSummary = Awaited<ReturnType<EventIndex['objects']>>[number];

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Distinct object keys with storage state, event count, bytes and newest timestamp; with `before`, only older objects. */
export async function objectSummaries(source: IndexTable, options: { before?: number }): Promise<ObjectSummary[]> {
  const objects = new Map<string, ObjectSummary>();
  for await (const item of scanItems(source.client, {
    TableName: source.table, ConsistentRead: true, FilterExpression: 'begins_with(#pk, :h)',
    ExpressionAttributeNames: { '#pk': A.hour }, ExpressionAttributeValues: { ':h': str(INDEX_PREFIX.hour) },
  })) {
    const e = fromItem(item);
    const o = objects.get(e.location.key) ?? { key: e.location.key, storageClass: e.storageClass, restore: e.restore, events: 0, bytes: 0, maxTimestamp: e.timestamp };
    objects.set(e.location.key, { ...o, events: o.events + 1, bytes: o.bytes + e.size, maxTimestamp: Math.max(o.maxTimestamp, e.timestamp) });
  }
  const all = [...objects.values()].sort(byKey);
  return options.before === undefined ? all : all.filter((o) => o.maxTimestamp < options.before!);
}

/** Number of indexed events: the id guards are counted (one per event, and small). */
export async function countEntries(source: IndexTable): Promise<number> {
  let total = 0;
  let start: Item | undefined;
  do {
    const out = await withRetries('Scan', () => source.client.send(new ScanCommand({
      TableName: source.table, Select: 'COUNT', ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}),
      FilterExpression: 'begins_with(#pk, :g)', ExpressionAttributeNames: { '#pk': A.hour }, ExpressionAttributeValues: { ':g': str(INDEX_PREFIX.guard) },
    })));
    total += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return total;
}
