// SqliteEventIndex: the EventIndex contract, plus the local extras (cursor in the put transaction, WAL, file mode).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TransientError } from '../../../domain/errors.ts';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { eventIndexContract } from '../../contracts/event-index.contract.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';

eventIndexContract('SqliteEventIndex', async () => {
  const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
  return { subject: index, cleanup: async () => index.close() };
});

const entry = (n: number): NewIndexEntry => ({
  id: `cash_deposit_${n}`, type: 'cash_deposit', timestamp: 1_700_000_000 + n, accounts: ['ACC-000001'],
  location: { key: `events/year=2023/month=11/day=14/hour=22/cash_deposit_${n}.event` }, size: 200, storageClass: 'STANDARD', restore: 'NONE',
});

const test = suite('SqliteEventIndex on disk');

test('the database is in WAL mode and its file is 0600 in a 0700 folder', async () => {
  const dir = join(tempDir(), 'data');
  const index = new SqliteEventIndex(join(dir, 'index.db'));
  await index.put([entry(1)]);
  const db = new Database(join(dir, 'index.db'), { readonly: true });
  assert.is(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  assert.is(statSync(join(dir, 'index.db')).mode & 0o777, 0o600);
  assert.is(statSync(dir).mode & 0o777, 0o700);
  index.close();
});

test('entries and positions survive reopening', async () => {
  const file = join(tempDir(), 'index.db');
  const first = new SqliteEventIndex(file);
  const [stored] = await first.put([entry(1)]);
  first.close();
  const again = new SqliteEventIndex(file);
  assert.equal(await again.get(entry(1).id), stored);
  const [next] = await again.put([entry(2)]);
  assert.ok(next!.position > stored!.position);
  again.close();
});

test('putWithCursor moves the cursor with the entries, and never backwards', async () => {
  const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
  assert.is(await index.cursor('journal'), 0);
  await index.putWithCursor([entry(1)], { name: 'journal', value: 120 });
  await index.putWithCursor([], { name: 'journal', value: 80 });
  assert.is(await index.cursor('journal'), 120);
  index.close();
});

test('a put that fails part-way stores none of its entries and leaves the cursor', async () => {
  const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
  const broken = { ...entry(2), storageClass: null } as unknown as NewIndexEntry;
  let failed = false;
  try {
    await index.putWithCursor([entry(1), broken], { name: 'journal', value: 500 });
  } catch {
    failed = true;
  }
  assert.ok(failed);
  assert.is(await index.count(), 0);
  assert.is(await index.cursor('journal'), 0);
  index.close();
});

test('a write blocked by another process past the busy timeout fails with TransientError', async () => {
  const file = join(tempDir(), 'index.db');
  const index = new SqliteEventIndex(file, { busyTimeoutMs: 20 });
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  await rejects(() => index.put([entry(1)]), TransientError);
  other.exec('ROLLBACK');
  other.close();
  assert.is((await index.put([entry(1)])).length, 1);
  index.close();
});

test.run();
