// A data dir whose GLACIER objects were restored for one day, `daysAgo` days back: a restored copy that has expired
// (or not), as the tier sees it now, while index.db keeps the restore state it last heard of.

import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';

const DAY_MS = 86_400_000;

/** Restore every GLACIER object of `dataDir` for one day on a clock `daysAgo` days back; how many there are. */
export async function restoreForADay(dataDir: string, daysAgo: number): Promise<number> {
  const then = Date.now() - daysAgo * DAY_MS;
  const local = await openLocalEventlake({ dataDir, now: () => then });
  try {
    const keys = (await local.index.objects()).filter((o) => o.storageClass === 'GLACIER').map((o) => o.key);
    await local.archive.restore(keys, { tier: 'Bulk', days: 1 });
    const states = await local.archive.storage(keys); // the restore delay is 0: restored at once, on that clock
    assert.ok(states.every((s) => s.restore === 'RESTORED'));
    return keys.length;
  } finally {
    await local.close();
  }
}
