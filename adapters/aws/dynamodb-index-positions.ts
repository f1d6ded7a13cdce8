// Reading the event index in ingestion order: the sharded position GSI, merged, with ties kept on one page.

import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IndexEntry, PositionPage } from '../../domain/ports/event-index.ts';
import { num, queryItems, str, withRetries, type Item } from './dynamodb-codec.ts';
import { fromItem } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A, INDEX_GSI as G } from './table-keys.ts';

export interface PositionSource {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly shards: number;
  /** Most items one Query reads (below a page's `limit`); default: only `limit` and DynamoDB's 1 MB pages cut them. */
  readonly pageSize?: number;
}

const shardIds = (shards: number) => Array.from({ length: shards }, (_, i) => `P#${i}`);

interface ShardRead {
  readonly shard: string;
  readonly entries: IndexEntry[];
  /** Set when the shard has more entries after the ones read. */
  readonly lastKey?: Item;
}

/** Up to `limit` entries of one shard with position > `after` (following pages the 1 MB limit or `pageSize` cut short). */
async function readShard(source: PositionSource, shard: string, after: number, limit: number): Promise<ShardRead> {
  const entries: IndexEntry[] = [];
  let lastKey: Item | undefined;
  do {
    const out = await withRetries('Query', () => source.client.send(new QueryCommand({
      TableName: source.table, IndexName: G.byPosition, KeyConditionExpression: '#s = :s AND #p > :after',
      ExpressionAttributeNames: { '#s': A.positionShard, '#p': A.position },
      ExpressionAttributeValues: { ':s': str(shard), ':after': num(after) },
      Limit: Math.min(limit - entries.length, source.pageSize ?? Infinity), ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
    })));
    for (const item of out.Items ?? []) entries.push(fromItem(item));
    lastKey = out.LastEvaluatedKey;
  } while (lastKey && entries.length < limit);
  return { shard, entries, ...(lastKey ? { lastKey } : {}) };
}

const byPosition = (a: IndexEntry, b: IndexEntry) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Entries with position > `after`, in position order. Each shard is read up to `limit`; the merged list is cut at
 * the `limit`-th position P, and every further entry at exactly P is added (a page may then exceed `limit`): the
 * caller continues after P, so an entry sharing P with the page's last one would otherwise never be seen.
 */
export async function afterPositionPage(source: PositionSource, after: number, limit: number): Promise<PositionPage> {
  if (limit <= 0) return { entries: [], next: after };
  const reads = await Promise.all(shardIds(source.shards).map((s) => readShard(source, s, after, limit)));
  const merged = reads.flatMap((r) => r.entries).sort(byPosition);
  const cut = merged[Math.min(limit, merged.length) - 1];
  if (!cut) return { entries: [], next: after };
  const p = cut.position;
  const ties: IndexEntry[] = [];
  for (const r of reads) {
    if (!r.lastKey || r.entries.at(-1)?.position !== p) continue;
    for await (const item of queryItems(source.client, {
      TableName: source.table, IndexName: G.byPosition, KeyConditionExpression: '#s = :s AND #p = :p',
      ExpressionAttributeNames: { '#s': A.positionShard, '#p': A.position },
      ExpressionAttributeValues: { ':s': str(r.shard), ':p': num(p) }, ExclusiveStartKey: r.lastKey,
      ...(source.pageSize === undefined ? {} : { Limit: source.pageSize }),
    })) ties.push(fromItem(item));
  }
  const entries = [...merged, ...ties].filter((e) => e.position <= p).sort(byPosition);
  return { entries, next: p };
}

/** Highest position of any shard (0 when the index is empty). */
export async function lastPositionOf(source: PositionSource): Promise<number> {
  const tops = await Promise.all(shardIds(source.shards).map((s) => withRetries('Query', () => source.client.send(new QueryCommand({
    TableName: source.table, IndexName: G.byPosition, KeyConditionExpression: '#s = :s',
    ExpressionAttributeNames: { '#s': A.positionShard }, ExpressionAttributeValues: { ':s': str(s) },
    ScanIndexForward: false, Limit: 1,
  })))));
  return Math.max(0, ...tops.map((t) => Number(t.Items?.[0]?.[A.position]?.N ?? 0)));
}
