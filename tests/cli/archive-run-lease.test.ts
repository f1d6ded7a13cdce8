// `eventlake archive run` beside another archive run on the same data dir: a typed error naming when the other run's
// lease expires, exit 1, nothing compacted; once the lease is free the run goes ahead.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { generateEvents } from '../../domain/generator.ts';
import { ArchiveLease } from '../../projections/archive-lease.ts';
import { leaseExpiry } from '../../projections/lease.ts';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';

const START = Date.UTC(2024, 2, 7, 9) / 1000;
/** A day of events, long enough ago to be archived. */
const EVENTS = generateEvents({ accounts: 5, days: 1, eventsPerDay: 48, start: START, seed: 5 });

const test = suite('eventlake archive run under a held archive lease');

test('a run beside another archive run exits 1 with ARCHIVE_RUN_IN_PROGRESS, the lease expiry and the fix, compacting nothing', async () => {
  const dataDir = await emittedDataDir(EVENTS);
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dataDir).dispatchDb);
  try {
    const held = await ArchiveLease.acquire(checkpoints); // the other `eventlake archive run` on this data dir
    const until = new Date(leaseExpiry(await checkpoints.get('archive:lease'))).toISOString();
    const r = await runCli(['--data-dir', dataDir, 'archive', 'run', '--now', '2025-01-01T00:00:00Z', '--json']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, `eventlake: ARCHIVE_RUN_IN_PROGRESS: archive:lease: another archive run (eventlake archive run, or the scheduled compaction) holds the lease until ${until}; wait for it to finish, then run the command again`);
    assert.is(r.stdout, '', 'no report: nothing ran');
    await held.release();
    const again = await runCli(['--data-dir', dataDir, 'archive', 'run', '--now', '2025-01-01T00:00:00Z', '--json']);
    assert.is(again.code, 0, again.stderr);
    assert.is((JSON.parse(again.stdout) as { eventsCompacted: number }).eventsCompacted, EVENTS.length);
  } finally {
    checkpoints.close();
  }
});

test.run();
