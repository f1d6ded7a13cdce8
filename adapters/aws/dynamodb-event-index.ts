// DynamoDbEventIndex: the event index as one DynamoDB table (hour buckets, account/object/id/position GSIs).

import { GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, TransactWriteItemsCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomInt } from 'node:crypto';
import { EventNotFoundError } from '../../domain/errors.ts';
import type { EventIndex, IndexEntry, NewIndexEntry, PositionPage, TimeRangeQuery } from '../../domain/ports/event-index.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import { cancellationCodes, errorName, mapLimit, queryItems, scanItems, str, TRANSIENT_CANCELLATIONS, withRetries, type Item } from './dynamodb-codec.ts';
import { entryKey, fromItem, hourKey, mergeSorted, padTimestamp, toItem, typeFilter, updateLocation, withFilter } from './dynamodb-index-items.ts';
import { afterPositionPage, lastPositionOf } from './dynamodb-index-positions.ts';
import { INDEX_ATTR as A, INDEX_GSI as G } from './table-keys.ts';

export interface DynamoDbEventIndexOptions {
  readonly client: DynamoDBClient;
  /** A table created from EVENT_INDEX_TABLE (table-keys.ts). */
  readonly tableName: string;
  /**
   * Partitions of the position GSI (default 4). Ingestion-ordered writes to a single GSI partition would cap the
   * write rate; readers merge the shards. Only ever increase it: entries of a dropped shard would go unseen.
   */
  readonly positionShards?: number;
  /** Concurrent requests of put/setObjectStorage (default 8). */
  readonly concurrency?: number;
  /** Wall clock in epoch ms (tests). */
  readonly clock?: () => number;
}

/**
 * The event index on DynamoDB. Positions are ingestion epoch ms × 1000 plus a tie-break, increasing within one
 * writer; writers on different hosts are ordered by their clocks, so tails should lag a little behind now.
 *
 * @example
 * const index = new DynamoDbEventIndex({ client: new DynamoDBClient({}), tableName: 'eventlake-index' });
 * for await (const e of index.between({ from: t1, to: t2, accounts: ['DE-1234'] })) console.log(e.id);
 */
export class DynamoDbEventIndex implements EventIndex {
  private readonly client: DynamoDBClient;
  private readonly table: string;
  private readonly shards: number;
  private readonly concurrency: number;
  private readonly clock: () => number;
  private last = 0;

  constructor(options: DynamoDbEventIndexOptions) {
    this.client = options.client;
    this.table = options.tableName;
    this.shards = options.positionShards ?? 4;
    this.concurrency = options.concurrency ?? 8;
    this.clock = options.clock ?? Date.now;
  }

  private nextPosition(): number {
    // The random tie-break makes equal positions from two writers in the same millisecond unlikely; afterPosition
    // still returns every entry of a tied position together, so a tie never loses an entry at a page boundary.
    this.last = Math.max(this.last + 1, this.clock() * 1000 + randomInt(1000));
    return this.last;
  }

  async put(entries: readonly NewIndexEntry[]): Promise<IndexEntry[]> {
    const items = entries.map((e) => toItem(e, this.nextPosition(), this.shards));
    return mapLimit(items, this.concurrency, async (item) => {
      try {
        await withRetries('PutItem', () => this.client.send(new PutItemCommand({
          TableName: this.table, Item: item,
          ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': A.hour },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        })));
        return fromItem(item);
      } catch (error) {
        if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
        // Already indexed: the log gives an id one content, so its (hour, timestamp#id) key is the same; keep the old item.
        const old = (error as { Item?: Item }).Item ?? (await this.getByKey(item));
        return fromItem(old);
      }
    });
  }

  private async getByKey(item: Item): Promise<Item> {
    const out = await withRetries('GetItem', () => this.client.send(new GetItemCommand({
      TableName: this.table, Key: { [A.hour]: item[A.hour]!, [A.sortKey]: item[A.sortKey]! }, ConsistentRead: true,
    })));
    if (!out.Item) throw new EventNotFoundError(item[A.id]?.S ?? '?');
    return out.Item;
  }

  async get(id: string): Promise<IndexEntry | undefined> {
    const out = await withRetries('Query', () => this.client.send(new QueryCommand({
      TableName: this.table, IndexName: G.byId, KeyConditionExpression: '#id = :id',
      ExpressionAttributeNames: { '#id': A.id }, ExpressionAttributeValues: { ':id': str(id) }, Limit: 1,
    })));
    const item = out.Items?.[0];
    return item ? fromItem(item) : undefined;
  }

  async *between(query: TimeRangeQuery): AsyncIterable<IndexEntry> {
    if (query.to <= query.from) return;
    // Keys are whole seconds: ts >= from is ts >= ceil(from), ts < to is key < pad(ceil(to)) (BETWEEN is inclusive, and
    // 'pad(to)' sorts before every 'pad(to)#id').
    const range = { ':lo': str(padTimestamp(Math.ceil(query.from))), ':hi': str(padTimestamp(Math.ceil(query.to))) };
    const filter = typeFilter(query.types);
    if (query.accounts?.length) {
      const streams = query.accounts.flatMap((account) => [[G.byAccount0, A.account0], [G.byAccount1, A.account1]].map(([index, attr]) =>
        queryItems(this.client, {
          TableName: this.table, IndexName: index, KeyConditionExpression: '#a = :a AND #sk BETWEEN :lo AND :hi',
          ...withFilter(filter, { names: { '#a': attr!, '#sk': A.sortKey }, values: { ':a': str(account), ...range } }),
        })));
      for await (const item of mergeSorted(streams, (i) => i[A.sortKey]?.S ?? '')) yield fromItem(item);
      return;
    }
    // Without an account, each UTC hour bucket of the range is one Query; hours are visited in order, so is the output.
    for (let hour = Math.max(0, query.from - (((query.from % 3600) + 3600) % 3600)); hour < query.to; hour += 3600) {
      yield* mapItems(queryItems(this.client, {
        TableName: this.table, KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi', ConsistentRead: true,
        ...withFilter(filter, { names: { '#pk': A.hour, '#sk': A.sortKey }, values: { ':pk': str(hourKey(hour)), ...range } }),
      }));
    }
  }

  afterPosition(after: number, limit: number): Promise<PositionPage> {
    return afterPositionPage({ client: this.client, table: this.table, shards: this.shards }, after, limit);
  }

  lastPosition(): Promise<number> {
    return lastPositionOf({ client: this.client, table: this.table, shards: this.shards });
  }

  async relocate(moves: readonly { id: string; location: EventLocation }[]): Promise<void> {
    // A transaction may touch an item once: the last move of an id wins, as it would applied one by one.
    const byId = [...new Map(moves.map((m) => [m.id, m.location])).entries()];
    const found = await mapLimit(byId, this.concurrency, async ([id]) => (await this.get(id)) ?? id);
    const missing = found.find((f): f is string => typeof f === 'string');
    if (missing !== undefined) throw new EventNotFoundError(missing);
    const updates = byId.map(([, location], i) => updateLocation(this.table, found[i] as IndexEntry, location));
    // All or nothing per transaction of 100 (DynamoDB's limit); relocating is idempotent, so a failed call is retried whole.
    for (let i = 0; i < updates.length; i += 100) {
      const chunk = updates.slice(i, i + 100);
      await withRetries('TransactWriteItems', async () => {
        try {
          await this.client.send(new TransactWriteItemsCommand({ TransactItems: chunk.map((Update) => ({ Update })) }));
        } catch (error) {
          const codes = cancellationCodes(error);
          const gone = codes?.findIndex((c) => c === 'ConditionalCheckFailed') ?? -1;
          if (gone >= 0) throw new EventNotFoundError(byId[i + gone]?.[0] ?? '?', { cause: error });
          if (codes?.some((c) => TRANSIENT_CANCELLATIONS.has(c))) throw Object.assign(new Error('transaction conflict', { cause: error }), { name: 'TransactionConflictException' });
          throw error;
        }
      });
    }
  }

  async setObjectStorage(key: string, storageClass: StorageClass, restore: RestoreState): Promise<void> {
    const keys: Item[] = [];
    for await (const item of queryItems(this.client, {
      TableName: this.table, IndexName: G.byObject, KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': A.objectKey }, ExpressionAttributeValues: { ':k': str(key) },
    })) keys.push(entryKey(fromItem(item)));
    await mapLimit(keys, this.concurrency, (Key) => withRetries('UpdateItem', async () => {
      try {
        await this.client.send(new UpdateItemCommand({
          TableName: this.table, Key, UpdateExpression: 'SET #c = :c, #r = :r',
          // Only while the entry still points at this object: a relocation in between must not be overwritten.
          ConditionExpression: '#k = :k',
          ExpressionAttributeNames: { '#c': A.storageClass, '#r': A.restore, '#k': A.objectKey },
          ExpressionAttributeValues: { ':c': str(storageClass), ':r': str(restore), ':k': str(key) },
        }));
      } catch (error) {
        if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      }
    }));
  }

  async objects(options: { before?: number } = {}): Promise<{ key: string; storageClass: StorageClass; restore: RestoreState; events: number; bytes: number; maxTimestamp: number }[]> {
    const byKey = new Map<string, { key: string; storageClass: StorageClass; restore: RestoreState; events: number; bytes: number; maxTimestamp: number }>();
    for await (const item of scanItems(this.client, { TableName: this.table, ConsistentRead: true })) {
      const e = fromItem(item);
      const o = byKey.get(e.location.key) ?? { key: e.location.key, storageClass: e.storageClass, restore: e.restore, events: 0, bytes: 0, maxTimestamp: e.timestamp };
      byKey.set(e.location.key, { ...o, events: o.events + 1, bytes: o.bytes + e.size, maxTimestamp: Math.max(o.maxTimestamp, e.timestamp) });
    }
    const all = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return options.before === undefined ? all : all.filter((o) => o.maxTimestamp < options.before!);
  }

  async count(): Promise<number> {
    let total = 0;
    let start: Item | undefined;
    do {
      const out = await withRetries('Scan', () => this.client.send(new ScanCommand({
        TableName: this.table, Select: 'COUNT', ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}),
      })));
      total += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return total;
  }
}

async function* mapItems(items: AsyncIterable<Item>): AsyncGenerator<IndexEntry> {
  for await (const item of items) yield fromItem(item);
}
