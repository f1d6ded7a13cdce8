// Reads of one projection generation's table (DynamoDbProjectionStore): an item, a partition's rows, the whole state.

import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { JsonObject } from '../../domain/event.ts';
import type { StoredRow } from '../../domain/ports/projection-store.ts';
import { emptyState, type ProjectionState } from '../../domain/projection.ts';
import { errorName, queryItems, readBigInt, readStr, scanItems, storageError, str, withRetries, type Item } from './dynamodb-codec.ts';
import { PROJECTION_ATTR as P, PROJECTION_GSI, PROJECTION_PREFIX as X } from './table-keys.ts';

/** Where a generation's table is: the client and the store's table naming. */
export interface GenerationTables {
  readonly client: DynamoDBClient;
  readonly tableFor: (name: string, generation: number) => string;
}

/** The item `pk` of a generation, consistently read (undefined when missing, or when the table is). */
export async function getItem(t: GenerationTables, name: string, generation: number, pk: string): Promise<Item | undefined> {
  return orMissing(`reading ${pk} of ${name} generation ${generation}`, async () => (await withRetries('GetItem', () => t.client.send(new GetItemCommand({
    TableName: t.tableFor(name, generation), Key: { [P.pk]: str(pk) }, ConsistentRead: true,
  })))).Item, undefined);
}

/** The rows of one partition, by the partition index. */
export async function readRows(t: GenerationTables, name: string, generation: number, partition: string): Promise<StoredRow[]> {
  return orMissing(`reading rows of ${name} generation ${generation}`, async () => {
    const out: StoredRow[] = [];
    for await (const item of queryItems(t.client, {
      TableName: t.tableFor(name, generation), IndexName: PROJECTION_GSI.byPartition, KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': P.rowPartition }, ExpressionAttributeValues: { ':p': str(partition) },
    })) out.push({ key: readStr(item, P.rowKey), partition, value: JSON.parse(readStr(item, P.json)) as JsonObject });
    return out;
  }, []);
}

/** Counters, rows and applied records of a generation, from one consistent scan of its table. */
export async function readState(t: GenerationTables, name: string, generation: number): Promise<ProjectionState> {
  return orMissing(`reading ${name} generation ${generation}`, async () => {
    const state = emptyState();
    for await (const item of scanItems(t.client, { TableName: t.tableFor(name, generation), ConsistentRead: true })) {
      const pk = readStr(item, P.pk);
      if (pk.startsWith(X.counter)) state.counters.set(pk.slice(X.counter.length), readBigInt(item, P.counterValue));
      else if (pk.startsWith(X.row)) state.rows.set(readStr(item, P.rowKey), { partition: readStr(item, P.rowPartition), value: JSON.parse(readStr(item, P.json)) as JsonObject });
      else if (pk.startsWith(X.applied)) {
        const id = pk.slice(X.applied.length);
        const memo = item[P.memo]?.S;
        state.applied.set(id, { id, memo: memo === undefined ? null : (JSON.parse(memo) as JsonObject) });
      }
    }
    return state;
  }, emptyState());
}

/** A generation whose table does not exist (never written, or dropped) reads as empty; other failures are mapped. */
export async function orMissing<T>(what: string, read: () => Promise<T>, empty: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return empty;
    throw storageError(what, error);
  }
}
