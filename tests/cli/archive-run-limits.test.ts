// `archive run --max-segment-events N --max-segment-bytes N`: the compaction limits from the command line, so an
// operator with busy hours bounds what one run holds in memory; a bad value is refused before anything is opened.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { generateEvents } from '../../domain/generator.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const START = Date.UTC(2024, 2, 7, 9) / 1000;

/** A data dir with `n` events in one hour, long enough ago to be archived. */
async function oneBusyHour(n: number): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir });
  try {
    await local.lake.emit(generateEvents({ accounts: 5, days: 1, eventsPerDay: n * 24, start: START, seed: 3 }).slice(0, n));
  } finally {
    await local.close();
  }
  return dataDir;
}

test('--max-segment-events cuts a busy hour into segments of at most that many events', async () => {
  const dataDir = await oneBusyHour(23);
  const r = await runCli(['--data-dir', dataDir, 'archive', 'run', '--now', '2025-01-01T00:00:00Z', '--max-segment-events', '10', '--json']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { eventsCompacted: number; classes: { DEEP_ARCHIVE: { objects: number; events: number; bytes: number } } };
  // The hour is old enough for DEEP_ARCHIVE: its segments went there, three of them for 23 events.
  assert.equal([report.eventsCompacted, report.classes.DEEP_ARCHIVE], [23, { objects: 3, events: 23, bytes: report.classes.DEEP_ARCHIVE.bytes }]);
});

test('a segment limit that is not a whole number >= 1 exits 1 naming the option, before the data dir is touched', async () => {
  for (const [option, value] of [['--max-segment-events', '0'], ['--max-segment-bytes', 'lots']]) {
    const r = await runCli(['--data-dir', join(tempDir(), 'absent'), 'archive', 'run', option!, value!]);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, `INVALID_ARGUMENT: ${option}: ${value} is not a whole number >= 1`);
  }
});

test.run();
