// An index repair renumbers positions: the archive run's watermark (a position) would then vouch for hours whose
// events moved below it, so the repair clears it and the next archive run looks at every hour once.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repairIndex } from '../../adapters/local/index-repair.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { partitionPrefix } from '../../domain/event.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { hourAgo, hourOfEvents, NOW } from '../support/lifecycle-fixture.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('archive run: watermark and index repair');

async function withLocal(dataDir: string, work: (local: LocalEventlake) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({ dataDir, now: () => NOW });
  try {
    await work(local);
  } finally {
    await local.close();
  }
}

test('after an index repair the next run archives a late event the repair numbered below the watermark', async () => {
  const dataDir = tempDir();
  const late = hourAgo(40);
  await withLocal(dataDir, async (local) => {
    await local.lake.emit([...hourOfEvents(late, 1), ...hourOfEvents(hourAgo(5), 2)]);
    await runLifecycle(local, { now: NOW });
    await local.lake.emit(hourOfEvents(late, 3).slice(0, 1));
  });
  // index.db lost: the repair indexes archived objects first, then hot batch objects before hot segments, so the late
  // event comes before the 5-day-old hour's segment, below the watermark.
  for (const file of ['index.db', 'index.db-wal', 'index.db-shm']) rmSync(join(dataDir, file), { force: true });
  await repairIndex(dataDir);
  await withLocal(dataDir, async (local) => {
    await local.catchUp();
    const report = await runLifecycle(local, { now: NOW });
    assert.is(report.hoursUndispatched, 0);
    const classes = (await local.index.objects()).filter((o) => o.key.startsWith(partitionPrefix(late))).map((o) => o.storageClass);
    assert.equal(classes, ['GLACIER', 'GLACIER']);
  });
});

test.run();
