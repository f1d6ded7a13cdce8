// Applying one event to a projection generation's table: read related records, decide, write all in ONE transaction.
//
// Timeline of a delivery (why each condition exists):
//   1. BatchGetItem (consistent) of the event's own idempotency item and its related ones.
//   2. Own item present -> 'duplicate'. Otherwise decide(event, related) — pure.
//   3. TransactWriteItems: Put own item IF attribute_not_exists (a concurrent delivery loses here -> 'duplicate');
//      ConditionCheck each related item is still present/absent as read in 1 (else re-read and decide again);
//      ADD each counter delta IF the sum stays within 38 digits (else CounterRangeError: the event's fault); Put each row.
// Idempotency records never change once written, so "present as read" is just attribute_exists.

import { BatchGetItemCommand, TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import { eventId, type DomainEvent, type JsonObject } from '../../domain/event.ts';
import { InvalidArgumentError, TransientError } from '../../domain/errors.ts';
import type { AppliedRecord, ApplyStatus, Changes, Projection } from '../../domain/projection.ts';
import { backoff, bool, cancellationCodes, errorName, isTransient, str, TRANSIENT_CANCELLATIONS, withRetries, type Item } from './dynamodb-codec.ts';
import { counterOf, deltaBeyond, deltaRangeError, rangeCondition, rangeFailure, type CancellationReason } from './dynamodb-counter-range.ts';
import { PROJECTION_ATTR as P, PROJECTION_PREFIX as X } from './table-keys.ts';

/** DynamoDB's limit of actions in one TransactWriteItems. */
export const MAX_TRANSACTION_ACTIONS = 100;

export interface ApplyTarget {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly generation: number;
  readonly replay: boolean;
  /** Attempts for a transaction cancelled by contention or a changed related record. */
  readonly maxAttempts: number;
}

const key = (pk: string): Item => ({ [P.pk]: str(pk) });
const cancellationReasons = (error: unknown): CancellationReason[] => (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readApplied(target: ApplyTarget, ids: readonly string[]): Promise<Map<string, AppliedRecord>> {
  const found = new Map<string, AppliedRecord>();
  let keys: Item[] = ids.map((id) => key(X.applied + id));
  for (let n = 0; keys.length > 0; n++) {
    const out = await withRetries('BatchGetItem', () => target.client.send(new BatchGetItemCommand({
      RequestItems: { [target.table]: { Keys: keys, ConsistentRead: true } },
    })));
    for (const item of out.Responses?.[target.table] ?? []) {
      const id = (item[P.pk]?.S ?? '').slice(X.applied.length);
      const memo = item[P.memo]?.S;
      found.set(id, { id, memo: memo === undefined ? null : (JSON.parse(memo) as JsonObject) });
    }
    keys = out.UnprocessedKeys?.[target.table]?.Keys ?? [];
    if (keys.length === 0) break;
    // Unprocessed keys are throttled reads (BatchGetItem API reference): asked again with backoff, but not forever.
    if (n + 1 >= target.maxAttempts) {
      throw new TransientError(`reading the idempotency records of ${ids[0]} in ${target.table}: ${keys.length} keys still unprocessed after ${target.maxAttempts} BatchGetItem calls; retry later`);
    }
    await sleep(backoff(n, 50));
  }
  return found;
}

/** The transaction's actions: own idempotency item first, then the related checks, counters and rows. */
export function transactionItems(target: ApplyTarget, id: string, related: readonly string[], present: ReadonlyMap<string, AppliedRecord>, changes: Changes): TransactWriteItem[] {
  const names = { '#pk': P.pk };
  const own: Item = { ...key(X.applied + id), [P.replay]: bool(target.replay) };
  if (changes.memo !== undefined && changes.memo !== null) own[P.memo] = str(JSON.stringify(changes.memo));
  const deltas = new Map<string, bigint>();
  for (const c of changes.counters ?? []) deltas.set(c.key, (deltas.get(c.key) ?? 0n) + c.delta);
  // One action per item (DynamoDB refuses two on the same item): deltas are summed, the last row of a key wins.
  const rows = new Map((changes.rows ?? []).map((r) => [r.key, r]));
  return [
    { Put: { TableName: target.table, Item: own, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: names } },
    ...related.map((r): TransactWriteItem => ({ ConditionCheck: {
      TableName: target.table, Key: key(X.applied + r), ExpressionAttributeNames: names,
      ConditionExpression: present.has(r) ? 'attribute_exists(#pk)' : 'attribute_not_exists(#pk)',
    } })),
    // Each ADD says the range its sum must stay in (dynamodb-counter-range.ts): beyond it, nothing of the event is written.
    ...[...deltas].map(([k, d]): TransactWriteItem => ({ Update: {
      TableName: target.table, Key: key(X.counter + k), UpdateExpression: 'ADD #v :d',
      ExpressionAttributeNames: { '#v': P.counterValue }, ...rangeCondition(d),
    } })),
    ...[...rows.values()].map((r): TransactWriteItem => ({ Put: {
      TableName: target.table,
      Item: { ...key(X.row + r.key), [P.rowKey]: str(r.key), [P.rowPartition]: str(r.partition), [P.json]: str(JSON.stringify(r.value)) },
    } })),
  ];
}

/**
 * ClientRequestToken: a hash of (table, projection, generation, event id), what the decision was based on (replay
 * flag, which related records were present) and the delivery (one random id per applyEvent call). A retried
 * identical transaction is then a no-op for DynamoDB, while a re-decision after a related record appeared gets a new
 * token instead of an IdempotentParameterMismatch. Why the delivery: DynamoDB answers a repeated token with the first
 * transaction's success, so another delivery of the same event, deciding the same at the same moment, reported
 * 'applied' too; with its own token its transaction fails on the idempotency item and it reports 'duplicate'.
 * The table name is part of it because tokens are scoped to the account and region, not to a table.
 */
export function requestToken(table: string, projection: string, generation: number, id: string, replay: boolean, present: readonly string[], delivery: string): string {
  return createHash('sha256').update(JSON.stringify([table, projection, generation, id, replay, [...present].sort(), delivery])).digest('hex').slice(0, 36);
}

/** Apply one event exactly once to `target`. */
export async function applyEvent(target: ApplyTarget, projection: Projection, event: DomainEvent): Promise<ApplyStatus> {
  if (!projection.handles(event)) return 'skipped';
  const id = eventId(event);
  const related = [...new Set(projection.related(event))].filter((r) => r !== id);
  if (related.length + 1 > MAX_TRANSACTION_ACTIONS) {
    throw new InvalidArgumentError('related', `event ${id} relates to ${related.length} events in projection ${projection.name}; one DynamoDB transaction checks at most ${MAX_TRANSACTION_ACTIONS - 1}`);
  }
  const delivery = randomUUID();
  for (let attempt = 0; ; attempt++) {
    const records = await readApplied(target, [id, ...related]);
    if (records.has(id)) return 'duplicate';
    const present = new Map(related.flatMap((r) => (records.has(r) ? [[r, records.get(r)!] as const] : [])));
    const items = transactionItems(target, id, related, present, projection.decide(event, present));
    if (items.length > MAX_TRANSACTION_ACTIONS) {
      throw new InvalidArgumentError('changes', `event ${id} needs ${items.length} writes in projection ${projection.name}; one DynamoDB transaction holds at most ${MAX_TRANSACTION_ACTIONS}: split the projection's changes`);
    }
    const beyond = items.map(counterOf).find((c) => c !== undefined && deltaBeyond(c.delta));
    if (beyond) throw await deltaRangeError(target, projection.name, id, beyond.key, beyond.delta);
    try {
      await target.client.send(new TransactWriteItemsCommand({
        TransactItems: items, ClientRequestToken: requestToken(target.table, projection.name, target.generation, id, target.replay, [...present.keys()], delivery),
      }));
      return 'applied';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') return 'duplicate';
      const relatedChanged = codes?.slice(1, 1 + related.length).includes('ConditionalCheckFailed') ?? false;
      // Decided again first when a related record changed: the new decision may change the counter otherwise.
      const outOfRange = relatedChanged ? undefined : rangeFailure(items, cancellationReasons(error), projection.name, id);
      if (outOfRange) throw outOfRange;
      // A lost connection too: the re-read finds the own idempotency item of a transaction that landed ('duplicate'),
      // and a replay with the same token is answered with the first one's success, so nothing is applied twice.
      const transient = relatedChanged || codes?.some((c) => TRANSIENT_CANCELLATIONS.has(c)) || isTransient(error)
        // Same token, other parameters: a concurrent delivery decided differently; the re-read settles it.
        || errorName(error) === 'IdempotentParameterMismatchException';
      if (!transient) throw error;
      if (attempt + 1 >= target.maxAttempts) {
        throw new TransientError(`applying ${id} to ${target.table} failed after ${target.maxAttempts} attempts (${codes?.join(',') ?? errorName(error)})`, { cause: error });
      }
      if (!relatedChanged) await sleep(backoff(attempt, 50));
    }
  }
}
