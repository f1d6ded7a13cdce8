// `eventlake archive status` counts a restored copy only while it is readable: the index keeps the restore state it
// last heard of, so a copy that expired since was still counted as restored (and a rebuild plan took it as readable).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { healthyDataDir } from '../support/check-data-dir.ts';
import { runCli } from '../security/cli-run.ts';

const test = suite('eventlake archive status: expired restores (CLI)');

const DAY_MS = 86_400_000;

/** Restore every GLACIER object for one day, on a clock `daysAgo` days back, and return how many there are. */
async function restoreForADay(dataDir: string, daysAgo: number): Promise<number> {
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

function glacierRow(stdout: string): { objects: number; restored: number } {
  const row = (JSON.parse(`[${stdout.trim().split('\n').join(',')}]`) as { class: string; objects: number; restored: number }[]).find((r) => r.class === 'GLACIER')!;
  return { objects: row.objects, restored: row.restored };
}

test('a copy restored for one day, three days ago, is not counted as restored', async () => {
  const dataDir = await healthyDataDir();
  const glacier = await restoreForADay(dataDir, 3);
  assert.ok(glacier > 0);
  const r = await runCli(['--data-dir', dataDir, 'archive', 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(glacierRow(r.stdout), { objects: glacier, restored: 0 });
});

test('a copy restored an hour ago for one day is still counted as restored', async () => {
  const dataDir = await healthyDataDir();
  const glacier = await restoreForADay(dataDir, 1 / 24);
  const r = await runCli(['--data-dir', dataDir, 'archive', 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(glacierRow(r.stdout), { objects: glacier, restored: glacier });
});

test.run();
