// Verification against a snapshot advances the snapshot's state with the log's later events: those events' rules read
// the idempotency records the snapshot holds (verify-reference.ts scratchState), as the store's applies did.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('verification against a snapshot, across a related pair');

test('a verification after the snapshot takes back the deposit the snapshot holds, in the reference as in the store', async () => {
  const local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake') });
  try {
    await local.lake.emit(SAMPLES['cash_deposit']! as DomainEvent);
    await local.snapshots.take('balances', 1, await local.dispatchedPosition());
    // The deposit's record (and memo) is in the snapshot only; its verification comes after the snapshot's mark.
    await local.lake.emit(SAMPLES['verify_cash_deposit']! as DomainEvent);
    assert.is(await local.store.counters('balances', 1).then((c) => c.get('DE44-5001-0517')), 12_340n, 'the verified amount replaced the deposited one');
    const check = await new RebuildCoordinator(local, local.projections).verify('balances', 1, 'snapshot');
    assert.match(check.reference, 'snapshot');
    assert.equal(check.differences, []);
    assert.ok(check.passed);
  } finally {
    await local.close();
  }
});

test.run();
