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
import { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { tempDir } from '../support/tmp.ts';
import {
  assertSameState, batchSizes, checkAgainstReference, checkPrefixThenWhole, differentialParams, eventSequences,
} from './balance-fold-differential-cases.ts';

const test = suite('balance fold: domain reference and SQLite store agree');
const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'), { synchronous: 'NORMAL' });
test.after(() => store.close());

test('any event sequence, in any batches, leaves the store exactly as the reference fold, outcome by outcome', async () => {
  await fc.assert(fc.asyncProperty(eventSequences(), batchSizes, fc.boolean(), (events, sizes, replay) =>
    checkAgainstReference(store, events, sizes, replay)), differentialParams(300));
});

test('applying a prefix, then the whole sequence again, ends as applying it once; the second pass repeats nothing', async () => {
  await fc.assert(fc.asyncProperty(eventSequences(), fc.nat(), batchSizes, batchSizes, (events, cut, first, second) =>
    checkPrefixThenWhole(store, events, cut, first, second)), differentialParams(300));
});

test.run();
