// Many index entries by id at once: BatchGetItem of their id guards, then of the entries the guards point at.
//
// Why: an emit checks every event against the index before its append (eventlake.ts). `get` is two GetItems in a
// row per id; this is two BatchGetItems per 100 ids, run a few at a time, and only one when no id is indexed yet
// (the usual emit of new events).

import { BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TransientError } from '../../domain/errors.ts';
import type { IndexEntry } from '../../domain/ports/event-index.ts';
import { mapLimit } from '../../projections/map-limit.ts';
import { backoff, withRetries, type Item } from './dynamodb-codec.ts';
import { fromItem, guardKey } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A } from './table-keys.ts';

/** DynamoDB's limit of keys in one BatchGetItem. */
const KEYS_PER_BATCH = 100;
/** BatchGetItem calls for keys DynamoDB left unprocessed (throttled) before giving up with a TransientError. */
const MAX_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LookupTarget {
  readonly client: DynamoDBClient;
  readonly table: string;
  /** BatchGetItem calls in flight at once. */
  readonly concurrency: number;
}

/** The indexed entries of `ids`, by id; ids not indexed are absent. Consistent reads, as `get`'s. */
export async function entriesById(target: LookupTarget, ids: readonly string[]): Promise<Map<string, IndexEntry>> {
  const guards = await batchGet(target, [...new Set(ids)].map(guardKey));
  const entries = await batchGet(target, guards.map((g) => ({ [A.hour]: g[A.entryHour]!, [A.sortKey]: g[A.entrySortKey]! })));
  return new Map(entries.map((item) => { const entry = fromItem(item); return [entry.id, entry]; }));
}

async function batchGet(target: LookupTarget, keys: readonly Item[]): Promise<Item[]> {
  const chunks: Item[][] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_BATCH) chunks.push(keys.slice(i, i + KEYS_PER_BATCH));
  return (await mapLimit(chunks, target.concurrency, (chunk) => batchGetChunk(target, chunk))).flat();
}

/** One chunk of at most 100 keys, asking again for those DynamoDB leaves unprocessed (its answer to throttling). */
async function batchGetChunk(target: LookupTarget, keys: Item[]): Promise<Item[]> {
  const items: Item[] = [];
  let pending = keys;
  for (let n = 0; ; n++) {
    const out = await withRetries('BatchGetItem', () => target.client.send(new BatchGetItemCommand({
      RequestItems: { [target.table]: { Keys: pending, ConsistentRead: true } },
    })));
    items.push(...(out.Responses?.[target.table] ?? []));
    pending = out.UnprocessedKeys?.[target.table]?.Keys ?? [];
    if (pending.length === 0) return items;
    if (n + 1 >= MAX_ATTEMPTS) {
      throw new TransientError(`reading index entries in ${target.table}: ${pending.length} keys still unprocessed after ${MAX_ATTEMPTS} BatchGetItem calls; retry the emit`);
    }
    await sleep(backoff(n, 50));
  }
}
