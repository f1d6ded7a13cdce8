// repairIndex stopped between moving the dispatch checkpoint and swapping the rebuilt index in (a crash, a kill, a
// failed rename): the data dir it leaves must still work as it is, and a second run must finish the repair.

import { rmSync, writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { dataDirLayout, hotPath } from '../../../adapters/local/layout.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { runLifecycle } from '../../../projections/lifecycle.ts';
import { variant } from '../../support/samples.ts';
import { withDb } from '../../support/check-data-dir.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('repairIndex interrupted');

const START = Date.UTC(2024, 0, 1) / 1000;
const DAY = 86_400;
const NOW = () => Date.UTC(2026, 0, 1);

/**
 * A healthy data dir whose archived events do not hold the first positions: live events came first, then a backfill of
 * older days that the lifecycle archived. Everything dispatched. Returns its balances.
 */
async function backfilledDataDir(): Promise<{ dir: string; balances: Map<string, string> }> {
  const dir = tempDir();
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await local.lake.emit(generateEvents({ accounts: 4, days: 1, eventsPerDay: 24, start: START + 30 * DAY, seed: 2 }));
    await local.lake.emit(generateEvents({ accounts: 4, days: 1, eventsPerDay: 24, start: START, seed: 1 }));
    await runLifecycle({ log: local.log, index: local.index, archive: local.archive }, { now: (START + 20 * DAY) * 1000 });
    return { dir, balances: await local.lake.balances() };
  } finally {
    await local.close();
  }
}

/** Run the repair so that it stops right before the swap: the name it keeps the old index under is taken. */
async function interruptedRepair(dir: string): Promise<void> {
  const stamp = new Date(NOW()).toISOString().replace(/[-:]/g, '');
  writeFileSync(`${dataDirLayout(dir).indexDb}.damaged-${stamp}`, 'taken');
  try {
    await repairIndex(dir, { now: NOW });
    assert.unreachable('the repair should have stopped before the swap');
  } catch (error) {
    assert.instance(error, Error);
    assert.is((error as NodeJS.ErrnoException).code, 'EEXIST');
  }
}

/**
 * Open the data dir, catch up (dispatch must not stop at an archived event), and check that a payment emitted now
 * reaches the balances; returns the balances before it.
 */
async function paymentDispatched(dir: string, requestId: string): Promise<Map<string, string>> {
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await local.catchUp();
    const balances = await local.lake.balances();
    await local.lake.emit(variant('incoming_payment', { RequestId: requestId, TargetAccount: 'ACC-000000', Amount: '1.00' }));
    assert.is(await local.lake.balance('ACC-000000'), (Number(balances.get('ACC-000000') ?? '0') + 1).toFixed(2));
    return balances;
  } finally {
    await local.close();
  }
}

test('a data dir left by a repair stopped before the swap still dispatches: no balance changes, and new emits reach them', async () => {
  const { dir, balances } = await backfilledDataDir();
  await interruptedRepair(dir);
  // The old index is still index.db, with the checkpoint the repair moved.
  assert.equal(await paymentDispatched(dir, '00000000-0000-4000-8000-000000000001'), balances);
});

test('run again, an interrupted repair finishes: the index is replaced, and events emitted afterwards are dispatched', async () => {
  const { dir, balances } = await backfilledDataDir();
  await interruptedRepair(dir);
  const report = await repairIndex(dir, { now: () => NOW() + 1 });
  assert.equal([report.positions, report.replaced], ['changed', true]);
  assert.equal(await paymentDispatched(dir, '00000000-0000-4000-8000-000000000002'), balances);
});

test('when the old index held positions past every rebuilt one, events emitted after the repair are still dispatched', async () => {
  const { dir } = await backfilledDataDir();
  const layout = dataDirLayout(dir);
  const local = await openLocalEventlake({ dataDir: dir });
  const [hot] = (await local.index.objects()).filter((o) => o.storageClass === 'STANDARD');
  await local.close();
  rmSync(hotPath(layout, hot!.key)); // its events keep early positions in the old index: the rebuilt one has fewer
  const report = await repairIndex(dir);
  assert.ok(report.dispatchCheckpointsReset[0]!.after > report.eventsIndexed, JSON.stringify(report.dispatchCheckpointsReset));
  await paymentDispatched(dir, '00000000-0000-4000-8000-000000000003');
});

test('a hot event the old index lacks is never counted as dispatched: the checkpoint stays at the last archived position', async () => {
  const { dir } = await backfilledDataDir();
  // The first live event's row is gone from the readable old index: nothing says it was ever dispatched.
  withDb(dataDirLayout(dir).indexDb, (db) => db.prepare('DELETE FROM events WHERE position = (SELECT min(position) FROM events)').run());
  const report = await repairIndex(dir);
  assert.is(report.positions, 'changed');
  assert.equal(report.dispatchCheckpointsReset.map((c) => c.after), [report.archivedThrough]);
});

test.run();
