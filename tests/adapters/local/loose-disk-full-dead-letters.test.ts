// The dead-letter store on a full disk: its StorageFullError names dispatch.db, the file that cannot grow (it said
// "the data dir").

import type { Database } from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { SqliteDeadLetterStore } from '../../../adapters/local/sqlite-dead-letter-store.ts';
import { StorageFullError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('SqliteDeadLetterStore on a full disk');

test('a dead letter that cannot be added is STORAGE_FULL naming dispatch.db and the fix', async () => {
  const file = dataDirLayout(tempDir()).dispatchDb;
  const store = new SqliteDeadLetterStore(file);
  try {
    // SQLite's max_page_count gives the SQLITE_FULL of a full disk, with no mount.
    const db = (store as unknown as { db: Database }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const error = await rejects(async () => {
      for (let i = 0; i < 1000; i++) await store.add({ id: `e${i}`, target: 'balances', error: 'x'.repeat(2000), attempts: 5, failedAt: i });
    }, StorageFullError);
    assert.is(error.where, file);
    assert.match(error.message, `dead letter add failed: no space left (SQLITE_FULL) on the disk holding ${file}`);
    assert.not.match(error.message, 'the data dir');
  } finally {
    store.close();
  }
});

test.run();
