// Generation 1's rules on AWS: the projector that folds a projection's first events records the rules it folds them
// with, as a local lake's first catch-up does (projections/rebuild/first-generation-rules.ts). Without it nothing on
// AWS recorded them, and `eventlake status --target aws` read generation 1 as 'unknown' for good.
//
// Why a Scan of Limit 1: DynamoDbProjectionStore has no forEachApplied, and a generation's table has a partition key
// only, so no Query can find its idempotency items (A#<id>) by prefix. But every apply writes one, and the only other
// item before a fold is the checkpoint (M#checkpoint): an empty table is exactly "no checkpoint and applied nothing".
// A consistent Scan of Limit 1 reads at most one item: 1 read capacity unit (one item of up to 4 KB), once per
// container until it knows, never per event.

import { PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { JsonObject } from '../../../domain/event.ts';
import { errorName, storageCall, str, withRetries } from '../dynamodb-codec.ts';
import { PROJECTION_ATTR as P, PROJECTION_PREFIX as X } from '../table-keys.ts';

/** Where generation 1 of one projection lives, and the checkpoint that records its rules. */
export interface FirstGenerationTarget {
  readonly client: DynamoDBClient;
  /** Generation 1's table. */
  readonly table: string;
  readonly checkpoint: JsonObject;
}

/** Whether `table` holds no item at all: one consistent Scan of Limit 1 (at most one item read). */
export function holdsNothing(client: DynamoDBClient, table: string): Promise<boolean> {
  return storageCall(`reading whether ${table} holds anything`, async () => {
    const page = await withRetries('Scan', () => client.send(new ScanCommand({ TableName: table, Limit: 1, Select: 'COUNT', ConsistentRead: true })));
    return (page.Count ?? 0) === 0 && page.LastEvaluatedKey === undefined;
  });
}

/**
 * Write `target.checkpoint` as generation 1's checkpoint unless it has one: a conditional put, so a record is never
 * overwritten, and of two first invocations racing the first one's stands (both hold the synth's same value).
 */
export function recordOnce(target: FirstGenerationTarget): Promise<void> {
  return storageCall(`recording the rules of ${target.table}`, async () => {
    try {
      await withRetries('PutItem', () => target.client.send(new PutItemCommand({
        TableName: target.table,
        Item: { [P.pk]: str(`${X.meta}checkpoint`), [P.json]: str(JSON.stringify(target.checkpoint)) },
        ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': P.pk },
      })));
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
  });
}

/** The two steps of recording generation 1's rules: is there anything yet, and the record. */
export interface FirstGenerationCheck {
  readonly holdsNothing: () => Promise<boolean>;
  readonly record: () => Promise<void>;
}

/** The check on DynamoDB: a Scan of Limit 1 of generation 1's table, and a conditional put of its checkpoint. */
export function firstGenerationCheck(target: FirstGenerationTarget): FirstGenerationCheck {
  return { holdsNothing: () => holdsNothing(target.client, target.table), record: () => recordOnce(target) };
}

/**
 * What the projector calls with the live generation before it folds a delivery: the first time generation 1 is live,
 * it records generation 1's rules when its table holds nothing yet, and from then on does nothing (cached: a table
 * that held something, a recorded checkpoint or another live generation stays so). Calls while one check runs share
 * it. A failed check or write fails the delivery, which is redelivered and checks again: recorded before the first
 * event folds, or not at all.
 *
 * @example
 * const beforeFold = firstGenerationRules(firstGenerationCheck({ client, table: store.tableFor('balances', 1), checkpoint }));
 */
export function firstGenerationRules(check: FirstGenerationCheck): (generation: number) => Promise<void> {
  let known = false;
  let checking: Promise<void> | undefined;
  return async (generation) => {
    if (known) return;
    if (generation !== 1) {
      known = true;
      return;
    }
    checking ??= (async () => {
      if (await check.holdsNothing()) await check.record();
      known = true;
    })().finally(() => { checking = undefined; });
    await checking;
  };
}
