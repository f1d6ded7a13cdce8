// An emit whose events are all stored already (a re-send after a crash, as the README advises) still catches up:
// the crash may have come before they were dispatched. It did nothing, and status kept the lag until a read.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { generateEvents } from '../../domain/generator.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('emit of events already stored');

test('dispatches what a crash left undispatched', async () => {
  const dataDir = tempDir();
  const events = generateEvents({ accounts: 3, days: 1, eventsPerDay: 30, start: Date.UTC(2024, 0, 1) / 1000, seed: 5 });
  const first = await openLocalEventlake({ dataDir, onCatchUpError: () => {} });
  try {
    await first.lake.emit(events);
  } finally {
    await first.close();
  }
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dataDir).dispatchDb);
  try {
    await checkpoints.set('dispatch', 0); // what a crash after the append, before dispatch, leaves
  } finally {
    checkpoints.close();
  }
  const local = await openLocalEventlake({ dataDir, onCatchUpError: () => {} });
  try {
    const results = await local.lake.emit(events);
    assert.ok(results.every((r) => r.status === 'duplicate'));
    assert.is(await local.dispatchedPosition(), await local.index.count());
  } finally {
    await local.close();
  }
});

test.run();
