// `eventlake rebuild` whose planned snapshot DynamoDB can no longer restore, found under the lease or by the restore
// itself: the refusal ends with the exact command to run again, which plans from a snapshot still restorable.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PlannedSnapshotNotRestorableError } from '../../projections/rebuild/start-generation.ts';
import { SnapshotNotRestorableError } from '../../projections/rebuild/snapshot-errors.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import { rejects } from '../support/async.ts';
import { buildLocalScenario } from '../support/fakes/local-scenario.ts';
import { eventlake } from './rebuild-in-process.ts';

const test = suite('eventlake rebuild: a planned snapshot no longer restorable');

async function lake() {
  const { dataDir, endOfDay } = await buildLocalScenario({ days: 2, eventsPerDay: 10 });
  return { dataDir, from: new Date(endOfDay(1)).toISOString() };
}

test('its planned snapshot no longer restorable by the time it holds the lease: TRANSIENT ending with the exact command to run again', async () => {
  const { dataDir, from } = await lake();
  const own = ['rebuild', '--projection', 'balances', '--from', from, '--no-promote'];
  const chosen: string[] = [];
  const error = await rejects(() => eventlake(['--data-dir', dataDir, ...own], (store) => ({
    latestAtOrBefore: async (projection: string, atMs: number) => {
      const s = await store.latestAtOrBefore(projection, atMs);
      if (s) chosen.push(s.id);
      return s;
    },
    list: async (projection: string) => (await store.list(projection)).map((s) => (chosen.includes(s.id) ? { ...s, notRestorable: 'table gone' } : s)),
  })), PlannedSnapshotNotRestorableError);
  assert.is(error.code, 'TRANSIENT');
  assert.ok(error.message.endsWith(`(table gone); no generation was created: run the same command again, which plans from the newest snapshot that can ` +
    `still be restored, or from the start of the log when there is none: eventlake --data-dir ${dataDir} ${own.join(' ')}`), error.message);
});

test('a restore the snapshot store refuses as no longer possible ends with the exact command to run again', async () => {
  const { dataDir, from } = await lake();
  const own = ['rebuild', '--projection', 'balances', '--from', from];
  const error = await rejects(() => eventlake(['--data-dir', dataDir, ...own], () => ({
    restore: async (snapshot: SnapshotInfo) => { throw new SnapshotNotRestorableError(snapshot.id, 'eventlake-balances-g1', 'InvalidRestoreTimeException'); },
  })), SnapshotNotRestorableError);
  assert.is(error.code, 'INVALID_ARGUMENT');
  assert.match(error.message, /^snapshot: snapshot \S+ cannot be restored from eventlake-balances-g1 \(InvalidRestoreTimeException\): the table is gone or past its PITR retention; /);
  assert.ok(error.message.endsWith('; run the same command again, which plans from the newest snapshot DynamoDB can still restore (eventlake snapshot list ' +
    `tells which are not restorable), or from the start of the log when there is none: eventlake --data-dir ${dataDir} ${own.join(' ')}`), error.message);
});

test.run();
