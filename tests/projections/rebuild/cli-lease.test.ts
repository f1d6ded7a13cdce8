// `eventlake rebuild` while another rebuild of the projection holds its lease: a typed error, exit 1, nothing rebuilt.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { RebuildLease } from '../../../projections/rebuild/rebuild-lease.ts';
import { runCli } from '../../security/cli-run.ts';
import { emptyDataDir } from '../../support/empty-data-dir.ts';

const test = suite('eventlake rebuild under a held lease');

test('a rebuild of a projection another process is rebuilding exits 1 with REBUILD_IN_PROGRESS, the projection and the fix', async () => {
  const dataDir = await emptyDataDir();
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dataDir).dispatchDb);
  try {
    const held = await RebuildLease.acquire(checkpoints, 'balances'); // the other `eventlake rebuild` on this data dir
    const r = await runCli(['--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', '0']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /^eventlake: REBUILD_IN_PROGRESS: projection balances: another rebuild of it is running \(its lease runs until \d{4}-.*Z\); wait for it to finish/m);
    assert.is(await checkpoints.get(rebuildCheckpointName('balances')), 0, 'no generation was started');
    await held.release();
    const again = await runCli(['--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', '0']);
    assert.is(again.code, 0, again.stderr);
  } finally {
    checkpoints.close();
  }
});

test.run();
