// Differential test of the balance fold on DynamoDB: DynamoDbProjectionStore (one TransactWriteItems per event, on
// DynamoDB Local) must agree exactly with the domain's reference fold (applyToState) on any sequence of bank events,
// however it is cut into apply calls: balances, idempotency records with their memos, and each event's outcome.
//
// Each case gets a new generation, so its own table. The default run is short (a DynamoDB round trip per event);
// EVENTLAKE_FUZZ_RUNS=500 runs it hard, EVENTLAKE_FUZZ_SEED / EVENTLAKE_FUZZ_PATH replay a failure. The SQLite side is
// tests/projections/balance-fold-differential.test.ts.

import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { foldEvents } from '../../../domain/projection.ts';
import { dynamoDb, INTEGRATION } from '../../support/dynamodb-local.ts';
import {
  assertSameState, batchSizes, checkAgainstReference, checkPrefixThenWhole, differentialParams, eventSequences, largestPayments,
} from '../../projections/balance-fold-differential-cases.ts';

const test = suite<{ store: DynamoDbProjectionStore }>('balance fold: domain reference and DynamoDB store agree', { store: undefined as unknown as DynamoDbProjectionStore });
// Against a real account every case creates a table: a handful of cases only.
const RUNS = INTEGRATION ? 3 : 20;

test.before(async (ctx) => {
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  ctx.store = new DynamoDbProjectionStore({ client: db.client, controlTableName, tablePrefix: db.uniqueName('fold'), tableSettings: { pointInTimeRecovery: db.pitr } });
});

test('any event sequence, in any batches, leaves the store exactly as the reference fold, outcome by outcome', async ({ store }) => {
  await fc.assert(fc.asyncProperty(eventSequences(20), batchSizes, fc.boolean(), (events, sizes, replay) =>
    checkAgainstReference(store, balancesProjection, events, sizes, replay)), differentialParams(RUNS));
});

test('applying a prefix, then the whole sequence again, ends as applying it once; the second pass repeats nothing', async ({ store }) => {
  await fc.assert(fc.asyncProperty(eventSequences(20), fc.nat(), batchSizes, batchSizes, (events, cut, first, second) =>
    checkPrefixThenWhole(store, events, cut, first, second)), differentialParams(RUNS));
});

// The SQLite store refuses this (tests/projections/balance-fold-differential.test.ts): a balance beyond 2^63 - 1 cents.
test('a balance beyond 2^63 - 1 cents is held exactly, as the reference holds it', async ({ store }) => {
  const payments = largestPayments(100);
  const generation = await store.createGeneration('balances');
  await store.apply(balancesProjection, generation, payments);
  assert.is(await store.counter('balances', generation, 'DE44-5001-0517'), 9_999_999_999_999_999_900n);
  assertSameState(await store.readState('balances', generation), foldEvents(balancesProjection, payments));
});

test.run();
