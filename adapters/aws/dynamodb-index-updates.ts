// Changes to index entries already stored: relocating entries to another object (compaction), and recording the
// storage class and restore state of an object's entries (archive transitions and restores).

import { TransactWriteItemsCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventNotFoundError } from '../../domain/errors.ts';
import type { IndexEntry } from '../../domain/ports/event-index.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import { mapLimit } from '../../projections/map-limit.ts';
import { cancellationCodes, errorName, queryItems, str, TRANSIENT_CANCELLATIONS, withRetries, type Item } from './dynamodb-codec.ts';
import { entryKey, fromItem, updateLocation } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A, INDEX_GSI as G } from './table-keys.ts';

/** What the entry updates need of the index: its client and table, how many calls at once, and a read by id. */
export interface IndexUpdates {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly concurrency: number;
  readonly get: (id: string) => Promise<IndexEntry | undefined>;
}

/** Point each moved entry at its new location, all or nothing per transaction; `EventNotFoundError` for an id not indexed. */
export async function relocateEntries(ctx: IndexUpdates, moves: readonly { id: string; location: EventLocation }[]): Promise<void> {
  // A transaction may touch an item once: the last move of an id wins, as it would applied one by one.
  const byId = [...new Map(moves.map((m) => [m.id, m.location])).entries()];
  const found = await mapLimit(byId, ctx.concurrency, async ([id]) => (await ctx.get(id)) ?? id);
  const missing = found.find((f): f is string => typeof f === 'string');
  if (missing !== undefined) throw new EventNotFoundError(missing);
  const updates = byId.map(([, location], i) => updateLocation(ctx.table, found[i] as IndexEntry, location));
  // All or nothing per transaction of 100 (DynamoDB's limit); relocating is idempotent, so a failed call is retried whole.
  for (let i = 0; i < updates.length; i += 100) {
    const chunk = updates.slice(i, i + 100);
    await withRetries('TransactWriteItems', async () => {
      try {
        await ctx.client.send(new TransactWriteItemsCommand({ TransactItems: chunk.map((Update) => ({ Update })) }));
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

/** Record `storageClass` and `restore` on every entry still in object `key` (a relocated one is left alone). */
export async function setStorageOfObject(ctx: IndexUpdates, key: string, storageClass: StorageClass, restore: RestoreState): Promise<void> {
  const keys: Item[] = [];
  for await (const item of queryItems(ctx.client, {
    TableName: ctx.table, IndexName: G.byObject, KeyConditionExpression: '#k = :k',
    ExpressionAttributeNames: { '#k': A.objectKey }, ExpressionAttributeValues: { ':k': str(key) },
  })) keys.push(entryKey(fromItem(item)));
  await mapLimit(keys, ctx.concurrency, (Key) => withRetries('UpdateItem', async () => {
    try {
      await ctx.client.send(new UpdateItemCommand({
        TableName: ctx.table, Key, UpdateExpression: 'SET #c = :c, #r = :r',
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
