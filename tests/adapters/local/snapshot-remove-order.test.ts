// SqliteSnapshotStore.remove: the sidecar goes before the data file, so a crash between the two deletes leaves an
// unlisted data file (as a crashed take does), never a listed snapshot whose data is gone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { SqliteSnapshotStore } from '../../../adapters/local/sqlite-snapshot-store.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';

function fixture() {
  const dataDir = tempDir();
  const store = new SqliteProjectionStore(join(dataDir, 'projections.db'));
  const subject = new SqliteSnapshotStore({ dataDir, store, now: () => Date.UTC(2026, 0, 1) });
  const file = (id: string, ext: string) => join(dataDir, 'snapshots/balances', `${id}.${ext}`);
  return { store, subject, file };
}

const test = suite('SqliteSnapshotStore.remove order');

test('a remove stopped after its first delete leaves the snapshot unlisted, and a second remove finishes it', async () => {
  const f = fixture();
  try {
    const snap = await f.subject.take('balances', await f.store.liveGeneration('balances'), 1);
    // The data file made undeletable stands for a crash between the two deletes: whichever goes first is gone.
    rmSync(f.file(snap.id, 'db'));
    mkdirSync(f.file(snap.id, 'db'));
    writeFileSync(join(f.file(snap.id, 'db'), 'keep'), '');
    await rejects(() => f.subject.remove(snap), Error);
    assert.equal(await f.subject.list('balances'), [], 'no snapshot listed without its data');
    rmSync(f.file(snap.id, 'db'), { recursive: true });
    writeFileSync(f.file(snap.id, 'db'), 'leftover');
    await f.subject.remove(snap);
    assert.equal([existsSync(f.file(snap.id, 'db')), existsSync(f.file(snap.id, 'json'))], [false, false]);
  } finally {
    f.store.close();
  }
});

test.run();
