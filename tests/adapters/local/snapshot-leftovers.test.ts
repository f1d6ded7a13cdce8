// SqliteSnapshotStore.removeLeftovers: data files no sidecar lists (a take or remove killed half-way) are reclaimed
// once they are an hour old; a newer one may be a take about to list it, and a listed snapshot is never touched.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { SqliteSnapshotStore } from '../../../adapters/local/sqlite-snapshot-store.ts';
import { tempDir } from '../../support/tmp.ts';

const HOUR = 3_600_000;

function fixture() {
  const dataDir = tempDir();
  const store = new SqliteProjectionStore(join(dataDir, 'projections.db'));
  let clock = Date.now();
  const subject = new SqliteSnapshotStore({ dataDir, store, now: () => clock });
  const file = (id: string, ext: string) => join(dataDir, 'snapshots/balances', `${id}.${ext}`);
  /** A data file without a sidecar, last written `ageMs` before the store's clock. */
  const leftover = (id: string, ageMs: number) => {
    writeFileSync(file(id, 'db'), 'x'.repeat(10));
    const at = (clock - ageMs) / 1000;
    utimesSync(file(id, 'db'), at, at);
  };
  return { store, subject, file, leftover, advance: (ms: number) => { clock += ms; } };
}

const test = suite<{ f: ReturnType<typeof fixture> }>('SqliteSnapshotStore leftovers');
test.before.each((ctx) => { ctx.f = fixture(); });
test.after.each((ctx) => { ctx.f.store.close(); });

test('a data file without its sidecar, last written over an hour ago, is removed and reported with its size', async ({ f }) => {
  const snap = await f.subject.take('balances', await f.store.liveGeneration('balances'), 1);
  const id = snap.id.replace(/-.*$/, '-ffffff');
  f.leftover(id, HOUR + 1000);
  assert.equal(await f.subject.removeLeftovers('balances'), [{ id, bytes: 10 }]);
  assert.not.ok(existsSync(f.file(id, 'db')));
});

test('a data file without its sidecar written within the hour stays: a take may be about to list it', async ({ f }) => {
  const snap = await f.subject.take('balances', await f.store.liveGeneration('balances'), 1);
  const id = snap.id.replace(/-.*$/, '-ffffff');
  f.leftover(id, HOUR - 60_000);
  assert.equal(await f.subject.removeLeftovers('balances'), []);
  assert.ok(existsSync(f.file(id, 'db')));
});

test('a listed snapshot is no leftover, however old', async ({ f }) => {
  const snap = await f.subject.take('balances', await f.store.liveGeneration('balances'), 1);
  f.advance(30 * 24 * HOUR);
  assert.equal(await f.subject.removeLeftovers('balances'), []);
  assert.equal((await f.subject.list('balances')).map((s) => s.id), [snap.id]);
});

test.run();
