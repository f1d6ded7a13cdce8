// The range of a counter on DynamoDB (38 digits) and the event's CounterRangeError when a change would leave it.
//
// Why a condition on the counter's ADD rather than a read before it: the apply reads no counter (one BatchGetItem of
// idempotency items per event), and a value read before the transaction could change under a concurrent delivery
// before the ADD lands. The bounds are computed here, exactly (bigint), from the delta alone; DynamoDB compares them
// with the value the ADD applies to, and a value that would leave the range cancels the transaction (nothing of the
// event written) with the counter's stored value in the cancellation reason (ReturnValuesOnConditionCheckFailure).

import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { CounterRangeError } from '../../domain/errors.ts';
import { getItem } from './dynamodb-projection-reads.ts';
import { PROJECTION_ATTR as P, PROJECTION_PREFIX as X } from './table-keys.ts';

/**
 * The largest counter the DynamoDB store holds: every integer within ±(10^38 - 1) has at most 38 significant digits,
 * DynamoDB's precision. Why not every number DynamoDB can store: 10^38 fits (one digit), but almost any change of it
 * then would not, and the event blamed would be a later one rather than the one that left the 38 digits.
 */
export const DYNAMODB_COUNTER_MAX = 10n ** 38n - 1n;
export const DYNAMODB_COUNTER_MIN = -DYNAMODB_COUNTER_MAX;
const HOLDER = 'a DynamoDB number (38 digits)';
const REFUSAL = 'which DynamoDB refuses';
const FIX = 'the projector fails its delivery, so the projection\'s dead-letter queue keeps it (stack output ' +
  'DeadLetterQueueUrl<projection>), and applies every other event. Fold such a projection in larger units (a new projection version)';

/** What an `ADD #v :d` of `delta` must also say so that the sum stays within the range (attribute names `#v`). */
export function rangeCondition(delta: bigint): Pick<NonNullable<TransactWriteItem['Update']>, 'ConditionExpression' | 'ExpressionAttributeValues' | 'ReturnValuesOnConditionCheckFailure'> {
  // Both bounds lie within the range themselves (|delta| <= MAX is checked first), so DynamoDB accepts them as numbers.
  const lo = delta < 0n ? DYNAMODB_COUNTER_MIN - delta : DYNAMODB_COUNTER_MIN;
  const hi = delta > 0n ? DYNAMODB_COUNTER_MAX - delta : DYNAMODB_COUNTER_MAX;
  return {
    // A counter not stored yet is 0, and the delta alone is within the range.
    ConditionExpression: 'attribute_not_exists(#v) OR #v BETWEEN :lo AND :hi',
    ExpressionAttributeValues: { ':d': { N: delta.toString() }, ':lo': { N: lo.toString() }, ':hi': { N: hi.toString() } },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/**
 * Whether a delta alone is beyond the range: refused before any write, as the SQLite store refuses one beyond its own
 * (even where a stored value of the other sign would bring the sum back within it; no real fold changes a counter so).
 */
export function deltaBeyond(delta: bigint): boolean {
  return delta < DYNAMODB_COUNTER_MIN || delta > DYNAMODB_COUNTER_MAX;
}

/** The event's error: counter `key` of `projection`, stored `stored`, changed by `delta`. */
export function counterRangeError(projection: string, key: string, eventId: string, stored: bigint, delta: bigint): CounterRangeError {
  return new CounterRangeError({ projection, key, eventId, stored, delta, min: DYNAMODB_COUNTER_MIN, max: DYNAMODB_COUNTER_MAX, holder: HOLDER, refusal: REFUSAL, fix: FIX });
}

/** A counter update of a transaction: its key and delta, read back from the action itself. */
export function counterOf(item: TransactWriteItem | undefined): { key: string; delta: bigint } | undefined {
  const update = item?.Update;
  const pk = update?.Key?.[P.pk]?.S;
  const delta = update?.ExpressionAttributeValues?.[':d']?.N;
  if (pk === undefined || !pk.startsWith(X.counter) || delta === undefined) return undefined;
  return { key: pk.slice(X.counter.length), delta: BigInt(delta) };
}

/** What a cancelled transaction says of its actions: each one's code and, for a failed condition, the item as it was. */
export interface CancellationReason {
  readonly Code?: string;
  readonly Item?: Record<string, { N?: string }>;
}

/** The CounterRangeError of the first counter action whose range condition failed, if one did. */
export function rangeFailure(items: readonly TransactWriteItem[], reasons: readonly CancellationReason[], projection: string, eventId: string): CounterRangeError | undefined {
  for (let i = 0; i < reasons.length; i++) {
    const counter = reasons[i]?.Code === 'ConditionalCheckFailed' ? counterOf(items[i]) : undefined;
    if (!counter) continue;
    const stored = reasons[i]?.Item?.[P.counterValue]?.N;
    return counterRangeError(projection, counter.key, eventId, stored === undefined ? 0n : BigInt(stored), counter.delta);
  }
  return undefined;
}

/** The error of a delta beyond the range on its own, with the counter's stored value (read only on this path). */
export async function deltaRangeError(target: { client: DynamoDBClient; table: string }, projection: string, eventId: string, key: string, delta: bigint): Promise<CounterRangeError> {
  const item = await getItem({ client: target.client, tableFor: () => target.table }, projection, 0, X.counter + key);
  const stored = item?.[P.counterValue]?.N;
  return counterRangeError(projection, key, eventId, stored === undefined ? 0n : BigInt(stored), delta);
}
