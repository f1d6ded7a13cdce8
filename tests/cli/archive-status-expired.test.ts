// `eventlake archive status` counts a restored copy only while it is readable: the index keeps the restore state it
// last heard of, so a copy that expired since was still counted as restored (and a rebuild plan took it as readable).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { healthyDataDir } from '../support/check-data-dir.ts';
import { runCli } from '../security/cli-run.ts';
import { restoreForADay } from '../support/restore-for-a-day.ts';

const test = suite('eventlake archive status: expired restores (CLI)');

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
