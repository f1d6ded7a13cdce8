// `eventlake status` while dispatch waits on an archived object (archived before dispatch reached it): it answers,
// naming the object and the restore that lets dispatch go on, instead of failing with the catch-up's TRANSIENT.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { waitingLakeCopy } from './status-archived-copies.ts';

const test = suite('eventlake status while dispatch waits on an archived object');

test('the text form says dispatch waits on the archived object and names both restores, spelled with --data-dir', async () => {
  const { dataDir, firstKey, events } = await waitingLakeCopy();
  const r = await runCli(['--data-dir', dataDir, 'status']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `dispatch:     WAITING at position 0, ${events} behind, on archived object ${firstKey} (GLACIER, not restored)`);
  assert.match(r.stdout, `restore it (eventlake --data-dir ${dataDir} restore --keys ${firstKey})`);
  assert.match(r.stdout, `(eventlake --data-dir ${dataDir} restore request --since 2024-01-01T00:00:00Z --until 2024-01-02T23:`);
  assert.not.match(r.stdout + r.stderr, 'TRANSIENT');
});

test('--json holds dispatchWaiting (position, event, object, class, restore state, range) and asking twice dispatches nothing', async () => {
  const { dataDir, firstKey, archivedKeys } = await waitingLakeCopy();
  const first = JSON.parse((await runCli(['--data-dir', dataDir, 'status', '--json'])).stdout) as Record<string, unknown>;
  const again = JSON.parse((await runCli(['--data-dir', dataDir, 'status', '--json'])).stdout) as Record<string, unknown>;
  const waiting = first['dispatchWaiting'] as Record<string, unknown>;
  assert.equal({ ...waiting, eventId: undefined, message: undefined }, {
    code: 'EVENT_ARCHIVED', position: 1, eventId: undefined, key: firstKey, storageClass: 'GLACIER', restore: 'NONE',
    restoreRange: { since: Date.UTC(2024, 0, 1) / 1000, until: Date.UTC(2024, 0, 2, 23) / 1000 + 1 }, message: undefined,
  });
  assert.match(String(waiting['message']), `(eventlake restore --keys ${firstKey})`);
  assert.is(first['dispatchBlocked'], undefined);
  assert.is(first['dispatchedPosition'], 0);
  assert.is(archivedKeys.length, 48);
  assert.equal(again, first);
});

test('a restore in progress is shown as such, with the command that follows it', async () => {
  const { dataDir, firstKey } = await waitingLakeCopy();
  const before = process.env['EVENTLAKE_RESTORE_DELAY_MS'];
  process.env['EVENTLAKE_RESTORE_DELAY_MS'] = '3600000';
  try {
    assert.is((await runCli(['--data-dir', dataDir, 'restore', '--keys', firstKey])).code, 0);
    const r = await runCli(['--data-dir', dataDir, 'status']);
    assert.match(r.stdout, `(GLACIER, restore in progress)`);
    assert.match(r.stdout, `its restore is in progress (eventlake --data-dir ${dataDir} restore status --keys ${firstKey})`);
  } finally {
    if (before === undefined) delete process.env['EVENTLAKE_RESTORE_DELAY_MS'];
    else process.env['EVENTLAKE_RESTORE_DELAY_MS'] = before;
  }
});

test.run();
