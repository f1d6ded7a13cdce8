// SqliteSnapshotStore: the SnapshotStore contract over SqliteProjectionStore, plus its files on disk.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { SqliteSnapshotStore } from '../../../adapters/local/sqlite-snapshot-store.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { snapshotStoreContract } from '../../contracts/snapshot-store.contract.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

function fixture() {
  const dataDir = tempDir();
  let clock = Date.UTC(2024, 2, 7, 9);
  const store = new SqliteProjectionStore(join(dataDir, 'projections.db'));
  const subject = new SqliteSnapshotStore({ dataDir, store, now: () => clock });
  return { dataDir, store, subject, advance: async (ms: number) => { clock += ms; }, cleanup: async () => store.close() };
}

snapshotStoreContract('SqliteSnapshotStore', async () => fixture());

const test = suite<{ f: ReturnType<typeof fixture> }>('SqliteSnapshotStore on disk');
test.before.each((ctx) => { ctx.f = fixture(); });
test.after.each(async (ctx) => { await ctx.f.cleanup(); });

async function snapshot(f: ReturnType<typeof fixture>) {
  const gen = await f.store.liveGeneration('balances');
  await f.store.apply(balancesProjection, gen, Object.values(SAMPLES) as DomainEvent[]);
  return f.subject.take('balances', gen, 7);
}

test('a snapshot is one SQLite file and one JSON sidecar under snapshots/<projection>/, no temp files left', async ({ f }) => {
  const snap = await snapshot(f);
  assert.equal(readdirSync(join(f.dataDir, 'snapshots/balances')).sort(), [`${snap.id}.db`, `${snap.id}.json`]);
  assert.ok((snap.bytes ?? 0) > 0, 'the size is recorded');
});

test('a data file without its sidecar (a crash mid-take) is not listed', async ({ f }) => {
  const snap = await snapshot(f);
  writeFileSync(join(f.dataDir, 'snapshots/balances', `${snap.id.replace(/-.*$/, '-ffffff')}.db`), 'partial');
  assert.equal((await f.subject.list('balances')).map((s) => s.id), [snap.id]);
});

test('restoring a snapshot whose file is gone fails clearly', async ({ f }) => {
  const snap = await snapshot(f);
  const missing = { ...snap, id: snap.id.replace(/-.*$/, '-000000') };
  const next = await f.store.createGeneration('balances');
  await rejects(() => f.subject.restore(missing, next), InvalidArgumentError);
});

test('a projection name that is not a plain name is refused (no path tricks)', async ({ f }) => {
  await rejects(() => f.subject.list('../balances'), InvalidArgumentError);
  assert.not.ok(existsSync(join(f.dataDir, 'balances')));
});

test.run();
