// A snapshot of a generation flagged as folded with other rules carries the flag: a rebuild that starts from it holds
// the state those folds left, so the generation it builds is flagged too (status names it, balance warns).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import type { ForeignFold } from '../../domain/ports/projection-store.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('folds with other rules: snapshots');

const NOW = 1_714_100_000_000;
const fold: ForeignFold = { rules: 'balances v1 0123456789ab', firstAt: NOW - 60_000, events: 3 };

test('a rebuild from a snapshot of a flagged generation builds a generation flagged alike', async () => {
  const local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake'), now: () => NOW });
  try {
    await local.lake.emit(SAMPLES['cash_deposit']! as DomainEvent);
    await local.store.noteForeignFold!('balances', 1, fold);
    await local.snapshots.take('balances', 1, await local.dispatchedPosition());
    await local.lake.emit(SAMPLES['cash_withdrawal']! as DomainEvent);
    const coordinator = new RebuildCoordinator(local, local.projections);
    const plan = await coordinator.plan({ projection: 'balances', from: NOW });
    assert.ok(plan.snapshot, 'the rebuild starts from the snapshot');
    const built = await coordinator.rebuild(plan);
    assert.equal(await local.store.foreignFold!('balances', built.generation), fold);
  } finally {
    await local.close();
  }
});

test.run();
