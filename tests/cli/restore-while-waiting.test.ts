// Restoring is the fix dispatch waiting on an archived object names, so the restore commands work in that state:
// they catch up the index only, never dispatch, which would stop at the object they are asked to restore.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { generateEvents } from '../../domain/generator.ts';
import { waitingLakeCopy } from './status-archived-copies.ts';

const test = suite('restore while dispatch waits on an archived object');

test('restore request --since --until --wait restores every archived object of the range, and the next read catches dispatch up with every event', async () => {
  const { dataDir, archivedKeys, events } = await waitingLakeCopy();
  const r = await runCli(['--data-dir', dataDir, 'restore', 'request', '--since', '2024-01-01', '--until', '2024-03-01', '--tier', 'Expedited', '--days', '30', '--wait', '--json']);
  assert.is(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { key: string; restore: string });
  assert.equal(rows.map((s) => s.key).sort(), [...archivedKeys]);
  assert.ok(rows.every((s) => s.restore === 'RESTORED'));
  assert.is((await runCli(['--data-dir', dataDir, 'balance'])).code, 0);
  const status = JSON.parse((await runCli(['--data-dir', dataDir, 'status', '--json'])).stdout) as Record<string, unknown>;
  assert.equal([status['dispatchedPosition'], status['undispatchedEvents'], status['dispatchWaiting']], [status['lastPosition'], 0, undefined]);
  assert.is(status['events'], events);
});

test('restore status --since --until answers while dispatch waits', async () => {
  const { dataDir, archivedKeys } = await waitingLakeCopy();
  const r = await runCli(['--data-dir', dataDir, 'restore', 'status', '--since', '2024-01-01', '--until', '2024-03-01', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trim().split('\n').length, archivedKeys.length);
});

test('the range status names restores what dispatch waits on: after it, dispatch catches up', async () => {
  const { dataDir } = await waitingLakeCopy();
  const { restoreRange } = (JSON.parse((await runCli(['--data-dir', dataDir, 'status', '--json'])).stdout) as { dispatchWaiting: { restoreRange: { since: number; until: number } } }).dispatchWaiting;
  const r = await runCli(['--data-dir', dataDir, 'restore', 'request', '--since', String(restoreRange.since), '--until', String(restoreRange.until), '--wait']);
  assert.is(r.code, 0, r.stderr);
  assert.is((await runCli(['--data-dir', dataDir, 'balance'])).code, 0);
  const status = JSON.parse((await runCli(['--data-dir', dataDir, 'status', '--json'])).stdout) as Record<string, unknown>;
  assert.equal([status['undispatchedEvents'], status['dispatchWaiting']], [0, undefined]);
});

test('catchUpIndex indexes what the log journaled and dispatches nothing, while a full catch-up would stop', async () => {
  const { dataDir } = await waitingLakeCopy();
  const local = await openLocalEventlake({ dataDir, onCatchUpError: () => {} });
  try {
    const before = await local.index.count();
    const journaled = generateEvents({ accounts: 2, days: 1, eventsPerDay: 2, start: Date.UTC(2024, 1, 1) / 1000, seed: 9 });
    await local.log.append(journaled);
    assert.equal(await local.catchUpIndex!(), { indexed: journaled.length });
    assert.equal([await local.index.count(), await local.dispatchedPosition()], [before + journaled.length, 0]);
  } finally {
    await local.close();
  }
});

test('archive status answers while dispatch waits on an archived object (it indexes only), counting the archived objects', async () => {
  const { dataDir, archivedKeys } = await waitingLakeCopy();
  const r = await runCli(['--data-dir', dataDir, 'archive', 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { class: string; objects: number });
  assert.is(rows.find((row) => row.class === 'GLACIER')?.objects, archivedKeys.length);
});

test.run();
