// `eventlake query` catches up the index only: SQL reads the log's files, not the projections. It used to run the
// whole projection catch-up first, so a first query over a big undispatched backlog spent minutes folding it, and a
// query failed while dispatch waited on an archived object.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { waitingLake } from './status-archived-fixture.ts';

const test = suite('eventlake query: index catch-up only');

test('answers while dispatch waits on an archived object, and leaves dispatch where it was', async () => {
  const { dataDir, events } = await waitingLake();
  const run = await runCli(['--data-dir', dataDir, 'query', '--json', 'SELECT count(*) AS n FROM events']);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /"n":\s*"?\d+/);
  const local = await openLocalEventlake({ dataDir, onCatchUpError: () => {} });
  try {
    assert.is(await local.dispatchedPosition(), 0);
    assert.is(await local.index.count(), events);
  } finally {
    await local.close();
  }
});

test.run();
