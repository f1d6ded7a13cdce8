// A rebuild plan counts a restored copy as readable only while it is: the index keeps the restore state it last heard
// of, so a copy that expired since was planned as "restores needed: 0" and the rebuild then had to restore it anyway.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { healthyDataDir } from '../../support/check-data-dir.ts';
import { restoreForADay } from '../../support/restore-for-a-day.ts';

const test = suite('rebuild plan: restore state');

async function planOf(dataDir: string) {
  const local = await openLocalEventlake({ dataDir });
  try {
    return await new RebuildCoordinator(local, local.projections).plan({ projection: 'balances', from: 0 });
  } finally {
    await local.close();
  }
}

test('a copy restored for one day, three days ago, is planned as needing a restore again', async () => {
  const dataDir = await healthyDataDir();
  const glacier = await restoreForADay(dataDir, 3);
  assert.ok(glacier > 0, 'the data dir has GLACIER objects');
  const plan = await planOf(dataDir);
  assert.is(plan.restores.GLACIER.objects, glacier);
  assert.not.ok(plan.tiers.some((t) => t.storageClass === 'GLACIER' && t.restored), 'no GLACIER group is planned as restored');
});

test('a copy restored an hour ago for one day is planned as readable', async () => {
  const dataDir = await healthyDataDir();
  const glacier = await restoreForADay(dataDir, 1 / 24);
  const plan = await planOf(dataDir);
  assert.is(plan.restores.GLACIER.objects, 0);
  assert.is(plan.tiers.find((t) => t.storageClass === 'GLACIER' && t.restored)?.objects, glacier);
});

test.run();
