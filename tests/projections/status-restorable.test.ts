// eventlakeStatus names, as a projection's newest snapshot, the newest one a rebuild can start from: a newer one the
// store lists as no longer restorable (AWS: past PITR's retention, its table dropped) is passed over.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { SnapshotInfo, SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import { eventlakeStatus } from '../../projections/status.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlakeStatus: the newest restorable snapshot');

/** A local runtime whose snapshot store lists the snapshots `gone` names as no longer restorable, with why. */
async function runtimeWith(gone: Map<string, string>) {
  const decorate = <P extends object>(name: string, port: P): P => {
    if (name !== 'snapshots') return port;
    const store = port as unknown as SnapshotStore;
    const list = async (projection: string) => (await store.list(projection)).map((s): SnapshotInfo => (gone.has(s.id) ? { ...s, notRestorable: gone.get(s.id)! } : s));
    return Object.assign(Object.create(port) as P, { list });
  };
  const local = await openLocalEventlake({ dataDir: tempDir(), decorate });
  await local.lake.emit([1, 2].map((i) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-00000000000${i}` })));
  return local;
}

test('a newer snapshot no longer restorable is passed over for the newest restorable one', async () => {
  const gone = new Map<string, string>();
  const local = await runtimeWith(gone);
  try {
    const generation = await local.store.liveGeneration('balances');
    const restorable = await local.snapshots.take('balances', generation, 1);
    gone.set((await local.snapshots.take('balances', generation, 2)).id, 'table gone');
    const [balances] = (await eventlakeStatus(local)).projections;
    assert.equal(balances!.latestSnapshot, { id: restorable.id, takenAt: restorable.takenAt, highWaterMark: 1, generation });
  } finally {
    await local.close();
  }
});

test('with no snapshot restorable, none is named', async () => {
  const gone = new Map<string, string>();
  const local = await runtimeWith(gone);
  try {
    gone.set((await local.snapshots.take('balances', await local.store.liveGeneration('balances'), 2)).id, 'PITR off');
    const [balances] = (await eventlakeStatus(local)).projections;
    assert.is(balances!.latestSnapshot, undefined);
  } finally {
    await local.close();
  }
});

test.run();
