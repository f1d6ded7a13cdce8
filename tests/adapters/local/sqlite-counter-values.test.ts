// SqliteProjectionStore reading a counter that is not whole cents (a REAL an older version stored from a rule's float
// delta): every read of it is a StorageError naming the projection, the counter and the fix, not a bare TypeError.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { StorageError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('SqliteProjectionStore: counters that are not whole cents');
const ACCOUNT = 'NL91-ABNA-0417';

let file: string;
let store: SqliteProjectionStore;
test.before.each(async () => {
  file = join(tempDir(), 'projections.db');
  store = new SqliteProjectionStore(file, { synchronous: 'NORMAL' });
  await store.apply(balancesProjection, 1, [SAMPLES['cash_deposit']!]);
  // What an older version left after a rule's first delta for a counter was 4.5 (an INTEGER column keeps a REAL).
  const db = new Database(file);
  db.prepare("INSERT INTO counters (name, generation, key, value) VALUES ('balances', 1, ?, 4.5)").run(ACCOUNT);
  db.close();
});
test.after.each(() => store.close());

const expectStorageError = async (read: () => Promise<unknown>): Promise<void> => {
  const error = await rejects(read, StorageError);
  assert.is(error.code, 'STORAGE_FAILED');
  assert.match(error.message, `counter "${ACCOUNT}" of projection balances (generation 1) holds`);
  assert.match(error.message, 'not whole cents');
  assert.match(error.message, '`eventlake rebuild balances --from 0`');
};

test('reading the counter is a StorageError naming it and the rebuild that fixes it', async () => {
  await expectStorageError(() => store.counter('balances', 1, ACCOUNT));
});

test('listing the counters is the same StorageError', async () => {
  await expectStorageError(() => store.counters('balances', 1));
});

test('reading the whole state is the same StorageError', async () => {
  await expectStorageError(() => store.readState('balances', 1));
});

test('whole cents read back as bigints, as before', async () => {
  const db = new Database(file);
  db.prepare('DELETE FROM counters WHERE key = ?').run(ACCOUNT);
  db.prepare("INSERT INTO counters (name, generation, key, value) VALUES ('balances', 1, ?, 1234)").run(ACCOUNT);
  db.close();
  assert.is(await store.counter('balances', 1, ACCOUNT), 1234n);
  assert.is((await store.counters('balances', 1)).get(ACCOUNT), 1234n);
});

test.run();
