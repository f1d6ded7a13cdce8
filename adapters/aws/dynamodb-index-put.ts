// The entries' transactions of DynamoDbEventIndex.put: each entry with its id guard, and a check that the directory
// item of every hour the writer took from memory still exists.
//
// Why the check: a writer puts an hour's directory item once and then remembers it (dynamodb-index-directory-writes.ts).
// Were the item gone since (the table restored to an earlier point, or created again under the same name while a
// Lambda container lives on), an entry committed there would be in no hour the directory lists, and range reads would
// skip it for good. A ConditionCheck in the same transaction makes "entry without its hour listed" impossible: a
// failed check puts the item again and the transaction goes again.

import { TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { TransientError } from '../../domain/errors.ts';
import { hourStart } from '../../domain/event.ts';
import type { IndexEntry } from '../../domain/ports/event-index.ts';
import { backoff, cancellationCodes, errorName, isTransient, readNum, readStr, TRANSIENT_CANCELLATIONS, type Item } from './dynamodb-codec.ts';
import { directoryKey } from './dynamodb-index-directory.ts';
import type { HourDirectory } from './dynamodb-index-directory-writes.ts';
import { fromItem, guardItem } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A } from './table-keys.ts';

/** DynamoDB's limit of actions in one TransactWriteItems. */
const ACTIONS_PER_TRANSACTION = 100;
const ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the transactions need of the index. */
export interface EntryWrites {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly directory: HourDirectory;
  readonly get: (id: string) => Promise<IndexEntry | undefined>;
}

const hourOf = (item: Item) => hourStart(readNum(item, A.timestamp));

/**
 * Write `items` (distinct ids) after their hours' directory items; returns the stored entry of each id (an id
 * already indexed keeps its stored entry). Transactions in input order, so positions become visible in increasing
 * order as far as this writer goes.
 */
export async function putEntries(w: EntryWrites, items: readonly Item[]): Promise<Map<string, IndexEntry>> {
  const stored = new Map<string, IndexEntry>();
  if (items.length === 0) return stored;
  // The hours first: a range read that lists the directory then finds every entry committed before it listed.
  const remembered = await w.directory.record(items.map((item) => readNum(item, A.timestamp)));
  for (const chunk of chunks(items, remembered)) await putChunk(w, chunk, remembered, stored);
  return stored;
}

/** Consecutive runs of `items` whose guards, entries and hour checks fit one transaction. */
function chunks(items: readonly Item[], remembered: ReadonlySet<number>): Item[][] {
  const out: Item[][] = [];
  let chunk: Item[] = [];
  let hours = new Set<number>();
  for (const item of items) {
    const hour = hourOf(item);
    const checks = hours.size + (remembered.has(hour) && !hours.has(hour) ? 1 : 0);
    if (chunk.length > 0 && 2 * (chunk.length + 1) + checks > ACTIONS_PER_TRANSACTION) { out.push(chunk); chunk = []; hours = new Set(); }
    chunk.push(item);
    if (remembered.has(hour)) hours.add(hour);
  }
  out.push(chunk);
  return out;
}

/**
 * One transaction: for each entry, Put its id guard IF attribute_not_exists and Put the entry, then a ConditionCheck
 * per remembered hour. Ids already indexed cancel it (ConditionalCheckFailed on their guard): those keep their stored
 * entry and the others go again, so a put is idempotent by id whatever its timestamp, and a crash never leaves half an
 * entry. A failed hour check puts that hour's directory item again, then the transaction goes again.
 */
async function putChunk(w: EntryWrites, items: Item[], remembered: Set<number>, stored: Map<string, IndexEntry>): Promise<void> {
  let pending = items;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const sent = pending.length;
    const checked = [...new Set(pending.map(hourOf))].filter((h) => remembered.has(h));
    try {
      await w.client.send(new TransactWriteItemsCommand({
        TransactItems: [
          ...pending.flatMap((item): TransactWriteItem[] => [
            { Put: { TableName: w.table, Item: guardItem(item), ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': A.hour } } },
            { Put: { TableName: w.table, Item: item } },
          ]),
          ...checked.map((hour): TransactWriteItem => ({
            ConditionCheck: { TableName: w.table, Key: directoryKey(hour), ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: { '#pk': A.hour } },
          })),
        ],
      }));
      for (const item of pending) stored.set(readStr(item, A.id), fromItem(item));
      return;
    } catch (error) {
      const codes = cancellationCodes(error);
      const indexed = pending.filter((_, i) => codes?.[2 * i] === 'ConditionalCheckFailed');
      for (const item of indexed) {
        const id = readStr(item, A.id);
        stored.set(id, (await w.get(id)) ?? fromItem(item));
      }
      pending = pending.filter((item) => !indexed.includes(item));
      const lost = checked.filter((_, i) => codes?.[2 * sent + i] === 'ConditionalCheckFailed');
      if (lost.length > 0) {
        await w.directory.rewrite(lost);
        for (const h of lost) remembered.delete(h);
      }
      if (indexed.length > 0 || lost.length > 0) continue;
      // A lost connection too: a replay of a transaction that landed fails on its id guards, and reads back the entries.
      const transient = codes?.some((c) => TRANSIENT_CANCELLATIONS.has(c)) || isTransient(error);
      if (!transient) throw error;
      if (attempt + 1 >= ATTEMPTS) throw new TransientError(`indexing ${pending.length} entries failed after ${ATTEMPTS} attempts: ${codes?.join(',') ?? errorName(error)}`, { cause: error });
      await sleep(backoff(attempt, 50));
    }
  }
}
