// Differential test of the balance fold on DynamoDB: DynamoDbProjectionStore (one TransactWriteItems per event, on
// DynamoDB Local) must agree exactly with the domain's reference fold (applyToState) on any sequence of bank events,
// however it is cut into apply calls: balances, idempotency records with their memos, and each event's outcome; and
// when two deliveries run at once, as two projector Lambdas do, each event is still applied by exactly one of them.
//
// Each case gets a new generation, so its own table. The default run is short (a DynamoDB round trip per event);
// EVENTLAKE_FUZZ_RUNS=500 runs it hard (minutes), EVENTLAKE_FUZZ_SEED / EVENTLAKE_FUZZ_PATH replay a failure. The SQLite side is
// tests/projections/balance-fold-differential.test.ts.

import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { foldEvents } from '../../../domain/projection.ts';
import { statementProjection } from '../../../projections/statement.ts';
import { dynamoDb, INTEGRATION } from '../../support/dynamodb-local.ts';
import {
  assertSameState, batchSizes, checkAgainstReference, checkPrefixThenWhole, differentialParams, distinctSequences, eventSequences,
  largestPayments, splitInto, storeApply,
} from '../../projections/balance-fold-differential-cases.ts';

const test = suite<{ store: DynamoDbProjectionStore }>('balance fold: domain reference and DynamoDB store agree', { store: undefined as unknown as DynamoDbProjectionStore });
// Against a real account every case creates a table: a handful of cases only.
const RUNS = INTEGRATION ? 3 : 8;

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

test('the statement projection\'s rows, in any batches, equal the reference fold\'s, outcome by outcome', async ({ store }) => {
  await fc.assert(fc.asyncProperty(eventSequences(20), batchSizes, fc.boolean(), (events, sizes, replay) =>
    checkAgainstReference(store, statementProjection, events, sizes, replay)), differentialParams(INTEGRATION ? 2 : 4));
});

// As two projector Lambdas deliver: a deposit and its verification may be decided at once, each reading the other as
// absent; the transaction's ConditionCheck on the related record must send one of them back to decide again.
test('two deliveries at once, sharing events, end as the reference fold of the events once, each applied once', async ({ store }) => {
  await fc.assert(fc.asyncProperty(distinctSequences(20), fc.array(fc.constantFrom(0, 1, 2), { minLength: 20, maxLength: 20 }), batchSizes, async (events, sides, sizes) => {
    const generation = await store.createGeneration('balances');
    // 0: the first delivery, 1: the second, 2: both (a duplicate delivered at the same time).
    const [first, second] = [0, 1].map((side) => events.filter((_, i) => sides[i] === side || sides[i] === 2));
    const [a, b] = await Promise.all([first!, second!].map((part, i) => storeApply(store, balancesProjection, generation, splitInto(part, sizes), i === 0)));
    const applied = [...a!, ...b!].filter((o) => o.status === 'applied').map((o) => o.id).sort();
    const expected = foldEvents(balancesProjection, events);
    assert.equal(applied, [...expected.applied.keys()].sort(), 'each handled event applied exactly once');
    assertSameState(await store.readState('balances', generation), expected);
  }), differentialParams(RUNS));
});

// DynamoDB answers a transaction repeated with the same ClientRequestToken with the first one's success. A token made
// only of what was decided made a second delivery deciding the same at the same moment report 'applied' too (26 of 30
// rounds), where the reference has one 'applied' and one 'duplicate': the projector's applied metric counted it twice.
test('the same event delivered twice at once: one delivery applies it, the other reports a duplicate', async ({ store }) => {
  const payment = largestPayments(1)[0]!;
  for (let round = 0; round < 5; round++) {
    const generation = await store.createGeneration('balances');
    const outcomes = await Promise.all([0, 1].map(() => store.apply(balancesProjection, generation, [payment])));
    assert.equal(outcomes.map(([o]) => o!.status).sort(), ['applied', 'duplicate'], `round ${round}`);
    assertSameState(await store.readState('balances', generation), foldEvents(balancesProjection, [payment]));
  }
});

// The SQLite store refuses this (tests/projections/balance-fold-differential.test.ts): a balance beyond 2^63 - 1 cents.
test('a balance beyond 2^63 - 1 cents is held exactly, as the reference holds it', async ({ store }) => {
  const payments = largestPayments(93); // the fewest that pass 2^63 - 1 cents
  const generation = await store.createGeneration('balances');
  await store.apply(balancesProjection, generation, payments);
  assert.is(await store.counter('balances', generation, 'DE44-5001-0517'), 9_299_999_999_999_999_907n);
  assertSameState(await store.readState('balances', generation), foldEvents(balancesProjection, payments));
});

test.run();
