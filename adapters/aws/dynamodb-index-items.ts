// How an index entry is laid out as a DynamoDB item: hour-bucket and sort keys, account and position GSI keys.

import { createHash } from 'node:crypto';
import { hourStart } from '../../domain/event.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { IndexEntry, NewIndexEntry, RangeCursor } from '../../domain/ports/event-index.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import type { QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import { num, readNum, readOptStr, readStr, readStrList, str, strList, type Item } from './dynamodb-codec.ts';
import { INDEX_ATTR as A, INDEX_PREFIX } from './table-keys.ts';

/** Digits of a zero-padded timestamp: epoch seconds up to the year 33658, so string order is numeric order. */
const TS_DIGITS = 12;

export function padTimestamp(epochSeconds: number): string {
  return String(Math.max(0, Math.floor(epochSeconds))).padStart(TS_DIGITS, '0');
}

/** Partition key of the hour that contains `epochSeconds`. */
export function hourKey(epochSeconds: number): string {
  return `${INDEX_PREFIX.hour}${hourStart(epochSeconds)}`;
}

/** Sort key: timestamp then id, so a bucket (and an account GSI) reads in the port's (timestamp, id) order. */
export function sortKey(epochSeconds: number, id: string): string {
  return `${padTimestamp(epochSeconds)}#${id}`;
}

/**
 * The `:lo` of a range's sort-key condition (`BETWEEN :lo AND :hi`, inclusive): the first key at or after `from`
 * (epoch seconds) and past `after` (exclusive). Exact: the least string above a cursor's key is that key and '\0'
 * (keys compare by UTF-8 bytes, the port's id order), so entries of the cursor's own second before it are never read.
 */
export function lowerSortKey(from: number, after: RangeCursor | undefined): string {
  const lo = padTimestamp(Math.ceil(from));
  if (!after || after.timestamp < 0) return lo;
  // A cursor between whole seconds is past every entry of the second before it and before every one of the next.
  const past = Number.isInteger(after.timestamp) ? `${sortKey(after.timestamp, after.id)}\u0000` : padTimestamp(Math.ceil(after.timestamp));
  // Both start with twelve digits, so this compares the timestamps first, and a key sorts after its own prefix.
  return past > lo ? past : lo;
}

/** Position-GSI shard of an id: a stable hash, so every writer puts the same id in the same shard. */
export function positionShard(id: string, shards: number): string {
  return `P#${createHash('sha1').update(id).digest().readUInt32BE(0) % shards}`;
}

/** The primary key of an entry. */
export function entryKey(e: Pick<IndexEntry, 'id' | 'timestamp'>): Item {
  return { [A.hour]: str(hourKey(e.timestamp)), [A.sortKey]: str(sortKey(e.timestamp, e.id)) };
}

/** Key of the id guard of an event. */
export function guardKey(id: string): Item {
  return { [A.hour]: str(INDEX_PREFIX.guard + id), [A.sortKey]: str('#') };
}

/** The id guard of an entry item: claims the id, and points at the entry's key. */
export function guardItem(entry: Item): Item {
  return { ...guardKey(readStr(entry, A.id)), [A.entryHour]: entry[A.hour]!, [A.entrySortKey]: entry[A.sortKey]! };
}

/**
 * The item of a new entry. Accounts go to two sparse GSI keys (acct0, acct1): an event touches at most two
 * accounts (SourceAccount, TargetAccount), and keeping one item per event means relocation and storage updates
 * change one item while both account views follow by themselves — no pointer items to keep in step.
 */
export function toItem(entry: NewIndexEntry, position: number, shards: number): Item {
  if (!Number.isInteger(entry.timestamp) || entry.timestamp < 0) {
    throw new InvalidArgumentError('timestamp', `${entry.id}: EventTimeStamp must be a non-negative integer of epoch seconds, got ${entry.timestamp}`);
  }
  if (entry.accounts.length > 2) {
    throw new InvalidArgumentError('accounts', `${entry.id} touches ${entry.accounts.length} accounts; the DynamoDB index keys at most two (acct0, acct1)`);
  }
  const item: Item = {
    ...entryKey(entry),
    [A.id]: str(entry.id),
    [A.type]: str(entry.type),
    [A.timestamp]: num(entry.timestamp),
    [A.accounts]: strList(entry.accounts),
    [A.objectKey]: str(entry.location.key),
    [A.size]: num(entry.size),
    [A.storageClass]: str(entry.storageClass),
    [A.restore]: str(entry.restore),
    [A.position]: num(position),
    [A.positionShard]: str(positionShard(entry.id, shards)),
  };
  if (entry.location.offset !== undefined) item[A.offset] = num(entry.location.offset);
  if (entry.location.length !== undefined) item[A.length] = num(entry.location.length);
  if (entry.digest !== undefined) item[A.digest] = str(entry.digest);
  entry.accounts.forEach((account, i) => { item[i === 0 ? A.account0 : A.account1] = str(account); });
  return item;
}

/** The entry an item stores. */
export function fromItem(item: Item): IndexEntry {
  const offset = item[A.offset]?.N;
  const length = item[A.length]?.N;
  return {
    id: readStr(item, A.id),
    type: readStr(item, A.type),
    timestamp: readNum(item, A.timestamp),
    accounts: readStrList(item, A.accounts),
    location: {
      key: readStr(item, A.objectKey),
      ...(offset !== undefined ? { offset: Number(offset) } : {}),
      ...(length !== undefined ? { length: Number(length) } : {}),
    },
    size: readNum(item, A.size),
    storageClass: (readOptStr(item, A.storageClass) ?? 'STANDARD') as StorageClass,
    restore: (readOptStr(item, A.restore) ?? 'NONE') as RestoreState,
    position: readNum(item, A.position),
    ...digestOf(item),
  };
}

/** The digest an item records, as an entry's optional field (items written before digests have none). */
export function digestOf(item: Item): { digest?: string } {
  const digest = readOptStr(item, A.digest);
  return digest === undefined ? {} : { digest };
}

/**
 * Merge streams that are each sorted by `key` into one sorted stream; equal keys (one event seen through both
 * account GSIs, or through two queried accounts) come out once.
 */
export async function* mergeSorted<T>(streams: AsyncIterator<T>[], key: (t: T) => string): AsyncGenerator<T> {
  const heads = await Promise.all(streams.map((s) => s.next()));
  let last: string | undefined;
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (!h.done && (best < 0 || key(h.value) < key((heads[best] as IteratorYieldResult<T>).value))) best = i;
    }
    if (best < 0) return;
    const value = (heads[best] as IteratorYieldResult<T>).value;
    heads[best] = await streams[best]!.next();
    if (key(value) !== last) yield value;
    last = key(value);
  }
}

/** A server-side filter on event types (FilterExpression; read capacity is still spent on what it drops). */
export type Filter = { expression?: string; names: Record<string, string>; values: Item };

/** Operands one DynamoDB IN comparison accepts. */
const IN_OPERANDS = 100;

/** The filter that keeps only entries of `types` (no filter when there are none). */
export function typeFilter(types: readonly string[] | undefined): Filter {
  if (!types?.length) return { names: {}, values: {} };
  const values: Item = Object.fromEntries([...new Set(types)].map((t, i) => [`:t${i}`, str(t)]));
  const placeholders = Object.keys(values);
  // DynamoDB's IN takes at most 100 operands (Developer Guide, "Condition and filter expressions"): longer lists are ORed.
  const groups: string[] = [];
  for (let i = 0; i < placeholders.length; i += IN_OPERANDS) groups.push(`#type IN (${placeholders.slice(i, i + IN_OPERANDS).join(', ')})`);
  return { expression: groups.length === 1 ? groups[0]! : `(${groups.join(' OR ')})`, names: { '#type': A.type }, values };
}

/** Key condition names/values combined with a type filter. */
export function withFilter(filter: Filter, key: { names: Record<string, string>; values: Item }): Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  return {
    ...(filter.expression ? { FilterExpression: filter.expression } : {}),
    ExpressionAttributeNames: { ...key.names, ...filter.names },
    ExpressionAttributeValues: { ...key.values, ...filter.values },
  };
}

/** The Update of a relocation: new key, offset and length (removed for one-event objects); only if the entry exists. */
export function updateLocation(table: string, entry: IndexEntry, location: EventLocation) {
  const names: Record<string, string> = { '#pk': A.hour, '#k': A.objectKey, '#o': A.offset, '#l': A.length };
  const values: Item = { ':k': str(location.key) };
  const set = ['#k = :k'];
  const remove: string[] = [];
  for (const [field, ph] of [['offset', '#o'], ['length', '#l']] as const) {
    const v = location[field];
    if (v === undefined) remove.push(ph);
    else { set.push(`${ph} = :${field}`); values[`:${field}`] = num(v); }
  }
  return {
    TableName: table, Key: entryKey(entry),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: names, ExpressionAttributeValues: values,
  };
}
