// SqliteProjectionStore and a counter leaving SQLite's 64-bit range: the apply fails with CounterRangeError naming the
// first event whose own change leaves it (not the batch's sum), with nothing of its batch applied, and the store goes on.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { CounterRangeError } from '../../../domain/errors.ts';
import { eventId } from '../../../domain/event.ts';
import { foldEvents } from '../../../domain/projection.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';
import { assertSameState, largestPayments } from '../../projections/balance-fold-differential-cases.ts';

const test = suite('SqliteProjectionStore: a counter beyond 64 bits');
const ACCOUNT = 'DE44-5001-0517';
/** The largest amount the schema allows, in cents: 92 of them fit in 2^63 - 1, the 93rd (index 92) does not. */
const LARGEST = 99_999_999_999_999_999n;
const payments = largestPayments(100);
/** A deposit to another account. */
const other = { ...SAMPLES['cash_deposit']!, TargetAccount: 'NL91-ABNA-0417' };

let store: SqliteProjectionStore;
test.before.each(() => { store = new SqliteProjectionStore(join(tempDir(), 'projections.db'), { synchronous: 'NORMAL' }); });
test.after.each(() => store.close());

/** The apply's error, which must be a CounterRangeError. */
const refused = (events: typeof payments): Promise<CounterRangeError> => rejects(() => store.apply(balancesProjection, 1, events), CounterRangeError);

test('a batch whose summed change leaves the range names the first event that leaves it, its counter, value and change', async () => {
  const error = await refused([other, ...payments]);
  assert.is(error.code, 'COUNTER_OUT_OF_RANGE');
  assert.equal([error.range.projection, error.range.key, error.range.eventId], ['balances', ACCOUNT, eventId(payments[92]!)]);
  assert.equal([error.range.stored, error.range.delta], [92n * LARGEST, LARGEST]);
  assert.match(error.message, `event ${eventId(payments[92]!)} changes counter ${ACCOUNT} by ${LARGEST}`);
});

test('nothing of the refused batch is applied, not even its events to other counters', async () => {
  await refused([other, ...payments]);
  assertSameState(await store.readState('balances', 1), foldEvents(balancesProjection, []));
});

test('a batch holding stored events (the careful pass) names the same event from the stored value', async () => {
  await store.apply(balancesProjection, 1, payments.slice(0, 90));
  const error = await refused(payments.slice(85));
  assert.equal([error.range.eventId, error.range.stored], [eventId(payments[92]!), 92n * LARGEST]);
  assertSameState(await store.readState('balances', 1), foldEvents(balancesProjection, payments.slice(0, 90)));
});

test('an event refused alone leaves nothing of itself, and the store applies the next events as before', async () => {
  await store.apply(balancesProjection, 1, payments.slice(0, 92));
  const error = await refused([payments[92]!]);
  assert.is(error.range.eventId, eventId(payments[92]!));
  assert.is(await store.appliedRecord('balances', 1, eventId(payments[92]!)), undefined);
  assert.equal(await store.apply(balancesProjection, 1, [other]), [{ id: eventId(other), status: 'applied' }]);
  assertSameState(await store.readState('balances', 1), foldEvents(balancesProjection, [...payments.slice(0, 92), other]));
});

test.run();
