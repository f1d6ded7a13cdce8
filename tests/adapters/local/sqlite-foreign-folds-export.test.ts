// The SQLite projection store's generation export (the local snapshots' data) carries its record of folds with other
// rules, and a file exported before that record existed still imports, with no record.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite<{ store: SqliteProjectionStore; dir: string }>('SqliteProjectionStore: export of folds with other rules', {
  store: undefined as unknown as SqliteProjectionStore, dir: '',
});
test.before.each((ctx) => {
  ctx.dir = tempDir();
  ctx.store = new SqliteProjectionStore(join(ctx.dir, 'projections.db'));
});
test.after.each(({ store }) => store.close());

const fold = { rules: 'balances v1 0123456789ab', firstAt: 1000, events: 2 };

test('an exported generation imports with its record of folds with other rules', async ({ store, dir }) => {
  await store.apply(balancesProjection, 1, [SAMPLES['cash_deposit']! as DomainEvent]);
  await store.noteForeignFold('balances', 1, fold);
  await store.exportGeneration('balances', 1, join(dir, 'g1.db'));
  const next = await store.createGeneration('balances');
  await store.importGeneration(join(dir, 'g1.db'), 'balances', next);
  assert.equal(await store.foreignFold('balances', next), fold);
});

test('a file exported before the record existed imports its data, with no record', async ({ store, dir }) => {
  await store.apply(balancesProjection, 1, [SAMPLES['cash_deposit']! as DomainEvent]);
  await store.exportGeneration('balances', 1, join(dir, 'old.db'));
  const file = new Database(join(dir, 'old.db'));
  file.exec('DROP TABLE foreign_folds');
  file.close();
  const next = await store.createGeneration('balances');
  await store.importGeneration(join(dir, 'old.db'), 'balances', next);
  assert.equal(await store.counters('balances', next), await store.counters('balances', 1));
  assert.is(await store.foreignFold('balances', next), undefined);
});

test.run();
