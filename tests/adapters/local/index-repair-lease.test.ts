// repairIndex and rebuild leases: a lease is a time, not a position, so it is never reported as a dropped rebuild.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';
import { loseIndex, populatedDataDir } from '../../support/index-repair-data-dir.ts';

const test = suite('repairIndex and rebuild leases');

test('a lease left by a crashed rebuild is cleared, and not reported as a dropped rebuild', async () => {
  const before = await populatedDataDir();
  const lease = rebuildLeaseName('balances');
  const store = new SqliteCheckpointStore(dataDirLayout(before.dir).dispatchDb);
  await store.set(lease, (Date.now() + 60_000) * 1000 + 7);
  store.close();
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  assert.equal(report.rebuildsDropped, []);
  assert.not.ok(report.dispatchCheckpointsReset.some((c) => c.name === lease));
  const after = new SqliteCheckpointStore(dataDirLayout(before.dir).dispatchDb);
  try {
    assert.is(await after.get(lease), 0);
  } finally {
    after.close();
  }
});

test.run();
