// `archive run` compacts every hour that ended --compact-after-hours (24 by default, as the AWS compaction function)
// ago, not only hours old enough to archive: a busy data dir wrote one batch object per append for 14 days, and
// queries slow down with the file count. The clock is `--now`; the data dir holds two tiny hours.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';
import { DAY_AGO, filesOf, NOW as NOW_MS, RECENT, twoHours } from '../projections/support/two-hours.ts';

const NOW = new Date(NOW_MS).toISOString().replace('.000Z', 'Z');

const isSegment = (f: string) => /^segment(-\d+)?\.ndjson$/.test(f);

interface Report { eventsCompacted: number; hoursCompacted: number; hotHoursCompacted: number; compactAfterHours: number; classes: Record<string, { objects: number; events: number }> }

async function archiveRun(dataDir: string, ...extra: string[]): Promise<Report> {
  const r = await runCli(['--data-dir', dataDir, 'archive', 'run', '--now', NOW, '--json', ...extra]);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

const test = suite('archive run: compaction of hours too young to archive');

test('an hour that ended 24 h ago is compacted into one segment and stays STANDARD; a younger hour keeps its objects', async () => {
  const dataDir = await twoHours();
  const recentBefore = filesOf(dataDir, RECENT);
  const report = await archiveRun(dataDir);
  assert.equal(filesOf(dataDir, DAY_AGO), ['segment.ndjson']);
  assert.equal(filesOf(dataDir, RECENT), recentBefore);
  assert.not.ok(recentBefore.some(isSegment));
  assert.equal([report.eventsCompacted, report.hoursCompacted, report.hotHoursCompacted, report.compactAfterHours], [3, 1, 1, 24]);
  assert.equal([report.classes.STANDARD!.events, report.classes.GLACIER!.objects, report.classes.DEEP_ARCHIVE!.objects], [5, 0, 0]);
});

test('--compact-after-hours 1 compacts the hour that ended 1.5 h ago too, and every event is then indexed and queried once', async () => {
  const dataDir = await twoHours();
  const report = await archiveRun(dataDir, '--compact-after-hours', '1');
  assert.equal([filesOf(dataDir, DAY_AGO), filesOf(dataDir, RECENT)], [['segment.ndjson'], ['segment.ndjson']]);
  assert.equal([report.eventsCompacted, report.hotHoursCompacted], [5, 2]);
  const local = await openLocalEventlake({ dataDir });
  try {
    const objects = await local.index.objects();
    assert.equal(objects.map((o) => [o.key.slice(o.key.lastIndexOf('/') + 1), o.events]), [['segment.ndjson', 3], ['segment.ndjson', 2]]);
    assert.is(await local.index.count(), 5);
  } finally {
    await local.close();
  }
  const q = await runCli(['--data-dir', dataDir, 'query', 'SELECT count(*) AS n, count(DISTINCT RequestId) AS ids FROM events', '--json']);
  assert.is(q.code, 0, q.stderr);
  assert.match(q.stdout, /"n":\s*"?5"?,\s*"ids":\s*"?5"?/);
});

test('the text report says how many compacted hours are not old enough to archive', async () => {
  const dataDir = await twoHours();
  const r = await runCli(['--data-dir', dataDir, 'archive', 'run', '--now', NOW]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'compacted 3 event(s) in 1 hour(s) (1 of them not old enough to archive: they stay STANDARD)\n');
});

test('a --compact-after-hours that is not a whole number >= 0 exits 1 naming the option, before the data dir is touched', async () => {
  const r = await runCli(['--data-dir', join(tempDir(), 'absent'), 'archive', 'run', '--compact-after-hours', '-1']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'INVALID_ARGUMENT: --compact-after-hours: -1 is not a whole number of hours >= 0');
});

test.run();
