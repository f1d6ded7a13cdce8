// SqliteProjectionStore.stagedReplay: the StagedReplayWriter contract, plus what only SQLite's 64-bit counters and the
// store's projection check do.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { StagedReplayRefusedError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';
import { stagedReplayWriterContract } from '../../contracts/staged-replay-writer.contract.ts';
import { largestPayments } from '../../projections/balance-fold-differential-cases.ts';

stagedReplayWriterContract('SqliteProjectionStore', async () => {
  const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'));
  return { store, close: () => store.close() };
});

const test = suite('SqliteProjectionStore.stagedReplay');
const newStore = () => new SqliteProjectionStore(join(tempDir(), 'projections.db'));

test('a counter whose staged sum leaves the 64-bit range makes the flush refuse, and nothing is written', async () => {
  const store = newStore();
  const generation = await store.createGeneration('balances');
  const writer = store.stagedReplay(balancesProjection, generation);
  const payments = largestPayments(100);
  await writer.stage(payments.slice(0, 60));
  await writer.stage(payments.slice(60));
  const error = await rejects(() => writer.flush({}), StagedReplayRefusedError);
  assert.match(error.message, 'a counter would leave the 64-bit range');
  assert.equal([await store.counters('balances', generation), await store.getCheckpoint('balances', generation)], [new Map(), undefined]);
  store.close();
});


test('a projection the lake does not know is refused as by every other method', async () => {
  const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'), { projections: ['statement'] });
  assert.throws(() => store.stagedReplay(balancesProjection, 2), /balances/);
  store.close();
});


test.run();
