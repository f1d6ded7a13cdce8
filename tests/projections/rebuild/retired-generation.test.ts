// A retired generation was live after its rebuild: it holds the events dispatched to it then, past its rebuild's mark.
// Verifying it (say, to promote it back) compares it where it is complete, not at that mark, where those events
// would read as differences of a generation that is right.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderVerify } from '../../../projections/rebuild/render.ts';
import { SAMPLES } from '../../support/samples.ts';
import { withFreshLake } from './fresh-lake.ts';

type Lake = Parameters<Parameters<typeof withFreshLake>[0]>;

/** A fresh lake whose first rebuild was promoted, received an event while live, then was retired by a second rebuild. */
function withRetiredGeneration(run: (local: Lake[0], coordinator: Lake[1], retired: number) => Promise<void>): Promise<void> {
  return withFreshLake(async (local, coordinator) => {
    const first = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    await coordinator.promote('balances', first.generation, [await coordinator.verify('balances', first.generation, 'log')]);
    await local.lake.emit({ ...SAMPLES['cash_deposit']!, RequestId: '01a21670-3523-7140-b3ff-abf5b4a13999' });
    await local.catchUp();
    const second = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    await coordinator.promote('balances', second.generation, [await coordinator.verify('balances', second.generation, 'log')]);
    await run(local, coordinator, first.generation);
  });
}

const test = suite('retired generations');

test('a retired generation verifies against the log: the events it received while live are not differences, and it can be promoted back', async () => {
  await withRetiredGeneration(async (local, coordinator, retired) => {
    const check = await coordinator.verify('balances', retired, 'log');
    assert.equal(check.differences, []);
    assert.is(check.mark, await local.index.lastPosition());
    await coordinator.promote('balances', retired, [check]);
    assert.is(await local.store.liveGeneration('balances'), retired);
  });
});

test('the report of a retired generation names one position, the one it was compared at', async () => {
  await withRetiredGeneration(async (local, coordinator, retired) => {
    const text = renderVerify(await coordinator.verify('balances', retired, 'log')).join('\n');
    const positions = [...text.matchAll(/position (\d+)/g)].map((m) => Number(m[1]));
    assert.equal(positions, [await local.index.lastPosition()], text);
  });
});

test.run();
