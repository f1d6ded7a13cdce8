// Differential test of the balance fold: the domain's reference (applyToState, which `verify --against log` trusts)
// and SqliteProjectionStore must agree exactly on any sequence of bank events, however it is cut into batches:
// balances, idempotency records with their memos, and each event's applied / duplicate / skipped outcome.
//
// The default run is short; EVENTLAKE_FUZZ_RUNS=20000 runs it hard. A failure prints fast-check's seed and path:
// replay it with EVENTLAKE_FUZZ_SEED=<seed> EVENTLAKE_FUZZ_PATH=<path>. The DynamoDB side is
// tests/adapters/aws/dynamodb-balance-fold-differential.test.ts.

import fc from 'fast-check';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { balancesProjection } from '../../domain/balances.ts';
import { CounterRangeError } from '../../domain/errors.ts';
import { parseAmount } from '../../domain/money.ts';
import { foldEvents } from '../../domain/projection.ts';
import { statementProjection } from '../../projections/statement.ts';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';
import {
  assertSameState, batchSizes, checkAgainstReference, checkPrefixThenWhole, differentialParams, eventSequences, largestPayments,
} from './balance-fold-differential-cases.ts';

const test = suite('balance fold: domain reference and SQLite store agree');
const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'), { synchronous: 'NORMAL' });
test.after(() => store.close());

test('any event sequence, in any batches, leaves the store exactly as the reference fold, outcome by outcome', async () => {
  await fc.assert(fc.asyncProperty(eventSequences(), batchSizes, fc.boolean(), (events, sizes, replay) =>
    checkAgainstReference(store, balancesProjection, events, sizes, replay)), differentialParams(300));
});

test('applying a prefix, then the whole sequence again, ends as applying it once; the second pass repeats nothing', async () => {
  await fc.assert(fc.asyncProperty(eventSequences(), fc.nat(), batchSizes, batchSizes, (events, cut, first, second) =>
    checkPrefixThenWhole(store, events, cut, first, second)), differentialParams(300));
});

test('the statement projection\'s rows, in any batches, equal the reference fold\'s, outcome by outcome', async () => {
  await fc.assert(fc.asyncProperty(eventSequences(), batchSizes, fc.boolean(), (events, sizes, replay) =>
    checkAgainstReference(store, statementProjection, events, sizes, replay)), differentialParams(300));
});

// An account may hold a balance and no line: a deposit verified into another account leaves 0.00 and its line moves.
test('each account\'s statement lines add up to its balance, whatever the sequence', () => {
  fc.assert(fc.property(eventSequences(), (events) => {
    const balances = foldEvents(balancesProjection, events).counters;
    const lines = new Map([...balances.keys()].map((account) => [account, 0n]));
    for (const { partition, value } of foldEvents(statementProjection, events).rows.values()) {
      assert.ok(balances.has(partition), `${partition} has statement lines but no balance`);
      lines.set(partition, lines.get(partition)! + parseAmount(String(value['amount'])));
    }
    assert.equal([...lines].sort(), [...balances].sort());
  }), differentialParams(2000));
});

// 93 payments of the largest amount the schema allows pass 2^63 - 1 cents, the most a SQLite INTEGER holds. The reference
// (bigint) and DynamoDB (38 digits) hold the exact sum; SQLite turned the sum into a float (1e19 instead of
// 9999999999999999900 cents) or threw better-sqlite3's untyped RangeError, depending on how the payments were batched.
const payments = largestPayments(100);

for (const size of [1, 100]) {
  test(`a balance beyond 2^63 - 1 cents is refused with a CounterRangeError, never rounded (batches of ${size})`, async () => {
    const generation = await store.createGeneration('balances');
    const batches = Array.from({ length: Math.ceil(payments.length / size) }, (_, i) => payments.slice(i * size, (i + 1) * size));
    let applied = 0;
    for (const batch of batches) {
      if (foldEvents(balancesProjection, payments.slice(0, applied + batch.length)).counters.get('DE44-5001-0517')! >= 2n ** 63n) break;
      await store.apply(balancesProjection, generation, batch);
      applied += batch.length;
    }
    const refused = payments.slice(applied, applied + size);
    const error = await rejects(() => store.apply(balancesProjection, generation, refused), CounterRangeError);
    assert.match(error.message, /^projection balances: event incoming_payment_\S+ changes counter DE44-5001-0517 by /);
    assertSameState(await store.readState('balances', generation), foldEvents(balancesProjection, payments.slice(0, applied)));
  });
}

test.run();
