// PITR restores to the second (RestoreTableToPointInTime: "day:hour:minute:second"). A snapshot marker with
// milliseconds, cut to its second by DynamoDB, would restore a state without the events applied in that part-second,
// which the marker's mark already counts: the rebuild would replay from after them and never apply them. So take()
// records the next whole second, waited for, and a marker with milliseconds (an older version's) is restored at its
// next whole second: a later state is safe (replay skips by their keys the events it holds), an earlier one is not.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbPitrSnapshotStore } from '../../../adapters/aws/dynamodb-pitr-snapshot-store.ts';
import { client, ddb, G2, NOW, resetWorld, restored, snap, stores, world } from './pitr-rebuild-fake.ts';

const tableFor = (n: string, g: number) => `eventlake-${n}-g${g}`;

const test = suite('PITR snapshots: whole seconds');
test.before.each(resetWorld);

test('take() records the next whole second, after waiting for it', async () => {
  let now = NOW + 250;
  const waits: number[] = [];
  const snapshots = new DynamoDbPitrSnapshotStore({
    client, controlTableName: 'control', tableFor, clock: () => now, sleep: async (ms) => { waits.push(ms); now += ms; },
  });
  world.tables.set('control', { status: 'ACTIVE', items: new Map() });
  const info = await snapshots.take('balances', 1, 42);
  assert.is(info.takenAt, NOW + 1_000);
  assert.equal(waits, [750]);
});

test('take() at a whole second does not wait', async () => {
  const waits: number[] = [];
  const snapshots = new DynamoDbPitrSnapshotStore({
    client, controlTableName: 'control', tableFor, clock: () => NOW, sleep: async (ms) => { waits.push(ms); },
  });
  world.tables.set('control', { status: 'ACTIVE', items: new Map() });
  assert.is((await snapshots.take('balances', 1, 42)).takenAt, NOW);
  assert.equal(waits, []);
});

test('a marker with milliseconds is restored at its next whole second, never the second before', async () => {
  const { snapshots } = stores(50);
  const withMs = { ...snap, takenAt: snap.takenAt + 250 };
  world.markers = [withMs];
  const restoring = snapshots.restore(withMs, 2).catch((error: unknown) => error);
  await new Promise((resolve) => setTimeout(resolve, 5));
  restored(G2);
  await restoring;
  const sent = ddb.commandCalls(RestoreTableToPointInTimeCommand).map((c) => c.args[0].input.RestoreDateTime?.getTime());
  assert.equal(sent, [snap.takenAt + 1_000]);
});

test.run();
