// Verifications with the live generation on an index that commits out of position order: its mark is the settled
// position, but the projectors applied events past it already, so the comparison is made at the last position, the
// live side advanced from its mark with its idempotency records. An event still in flight counts on neither side.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { balancesProjection } from '../../../domain/balances.ts';
import { settlingLake as setup } from './settling-lake.ts';

const test = suite('verifying with the live generation on an index that commits out of order');

test('the live generation, holding an event past the settled position, verifies against the log', async () => {
  const { lake, coordinator, next, inFlight } = await setup();
  await inFlight();
  const live = await lake.store.liveGeneration('balances');
  // The projector applied `next`; `late`, below it, is still in flight.
  await lake.store.apply(balancesProjection, live, [next]);
  const check = await coordinator.verify('balances', live, 'log');
  assert.ok(check.passed, JSON.stringify(check.differences));
  assert.is(check.mark, await lake.index.lastPosition());
});

test('a rebuilt generation verifies against a live one holding an event past the settled position', async () => {
  const { lake, endOfDay, coordinator, next, inFlight } = await setup();
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: endOfDay(2) }));
  await inFlight();
  await lake.store.apply(balancesProjection, await lake.store.liveGeneration('balances'), [next]);
  const check = await coordinator.verify('balances', built.generation, 'live');
  assert.ok(check.passed, JSON.stringify(check.differences));
});

test.run();
