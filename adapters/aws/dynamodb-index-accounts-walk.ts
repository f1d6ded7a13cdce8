// How `repair index --target aws`'s account re-derivation walks the index: the hours holding entries (one key-only
// Scan), then each hour's entries grouped by the log object they name, one hour read at a time.
//
// Why hour by hour: every entry of a log object lies in one UTC hour, since an object is one event (keyed under its
// hour partition, as its entry is) or an hour's compacted segment. So one hour's entries hold every entry of its
// objects, and memory is bounded by the hours in hand instead of the whole index (gigabytes at 10M events).
//
// Why a Scan for the hours and not the hour directory: the directory is listed one Query per UTC year, and the index
// keys years up to 33658 — ≈ 32,000 Queries (82 s measured on DynamoDB Local) for years that hold nothing. The Scan reads each
// item's key only and keeps one number per hour, and finds every hour holding an entry whether or not the directory
// was backfilled.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { queryItems, readStr, readStrList, str, type Item } from './dynamodb-codec.ts';
import { digestOf, hourKey } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A } from './table-keys.ts';

/** An index entry as the repair needs it: its key, its event's id and type, and what the index says of its object. */
export interface RepairEntry {
  readonly key: Item;
  readonly id: string;
  readonly type: string;
  readonly accounts: string[];
  readonly storageClass: string;
  readonly restore: string;
  /** The content digest the entry records (absent on entries indexed before digests). */
  readonly digest?: string;
}

/** One log object and the entries naming it. */
export interface ObjectEntries {
  readonly key: string;
  readonly entries: RepairEntry[];
}

/** The table walked, and what the walk leaves out. */
export interface IndexWalk {
  readonly client: DynamoDBClient;
  readonly table: string;
  /** Whether a loaded schema knows `type`: entries of other types are not grouped, only passed to `onUnknown`. */
  readonly knowsType: (type: string) => boolean;
  readonly onUnknown: (type: string) => void;
}

/**
 * The objects of `hours`, each with its entries, hour after hour. An hour is read (every page of its Query) when the
 * consumer asks past the previous hour's last object, and dropped once its objects are handed out.
 */
export async function* objectsByHour(walk: IndexWalk, hours: readonly number[]): AsyncGenerator<ObjectEntries> {
  for (const hour of hours) {
    for (const [key, entries] of await hourObjects(walk, hour)) yield { key, entries };
  }
}

/** The entries of one hour of a known type, by the key of the object they name. */
async function hourObjects(walk: IndexWalk, hour: number): Promise<Map<string, RepairEntry[]>> {
  const byObject = new Map<string, RepairEntry[]>();
  for await (const item of queryItems(walk.client, {
    TableName: walk.table, ConsistentRead: true, KeyConditionExpression: '#pk = :pk',
    ProjectionExpression: '#pk, #sk, #id, #type, #accounts, #object, #class, #restore, #digest',
    ExpressionAttributeNames: {
      '#pk': A.hour, '#sk': A.sortKey, '#id': A.id, '#type': A.type, '#accounts': A.accounts,
      '#object': A.objectKey, '#class': A.storageClass, '#restore': A.restore, '#digest': A.digest,
    },
    ExpressionAttributeValues: { ':pk': str(hourKey(hour)) },
  })) {
    const e = entryOf(item);
    if (!walk.knowsType(e.type)) { walk.onUnknown(e.type); continue; }
    const objectKey = readStr(item, A.objectKey);
    // Pushed, not spread into a new array: a segment's entries would be copied once per entry (quadratic).
    const group = byObject.get(objectKey);
    if (group) group.push(e);
    else byObject.set(objectKey, [e]);
  }
  return byObject;
}

function entryOf(item: Item): RepairEntry {
  return {
    key: { [A.hour]: item[A.hour]!, [A.sortKey]: item[A.sortKey]! },
    id: readStr(item, A.id), type: readStr(item, A.type), accounts: readStrList(item, A.accounts),
    storageClass: item[A.storageClass]?.S ?? 'STANDARD', restore: item[A.restore]?.S ?? 'NONE',
    ...digestOf(item),
  };
}
