// The SQLite stores dispatch writes to (projections.db, dispatch.db) tell a full or failing disk (SQLITE_FULL,
// SQLITE_IOERR*) as StorageFullError naming the file, not as TransientError: a TransientError is retried, and the
// dispatch tail retried a full disk event by event for hours. A busy lock stays TransientError.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { retryable, SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { StorageFullError, TransientError } from '../../domain/errors.ts';
import { thrown } from '../support/thrown.ts';
import { tempDir } from '../support/tmp.ts';

const failingWith = (code: string) => () => { throw new Database.SqliteError(`sqlite says ${code}`, code); };

const test = suite('SQLite disk failures in dispatch\'s stores');

test('SQLITE_FULL is a StorageFullError naming the file and the fix', () => {
  const error = thrown(() => retryable('checkpoint set', failingWith('SQLITE_FULL'), '/data/dispatch.db'), StorageFullError);
  assert.is(error.where, '/data/dispatch.db');
  assert.match(error.message, /^checkpoint set failed: no space left \(SQLITE_FULL\) on the disk holding \/data\/dispatch\.db; nothing of it was written\. Free space/);
});

test('an extended SQLITE_IOERR code is a StorageFullError saying I/O error', () => {
  const error = thrown(() => retryable('projection store: apply', failingWith('SQLITE_IOERR_WRITE'), '/data/projections.db'), StorageFullError);
  assert.match(error.message, /an I\/O error \(SQLITE_IOERR_WRITE\)/);
});

test('a busy lock is still a TransientError', () => {
  thrown(() => retryable('checkpoint set', failingWith('SQLITE_BUSY')), TransientError);
});

test('a checkpoint write to a dispatch.db that cannot grow fails with StorageFullError naming it', async () => {
  const file = join(tempDir(), 'dispatch.db');
  const store = new SqliteCheckpointStore(file);
  try {
    const db = (store as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const names = Array.from({ length: 200 }, (_, i) => `checkpoint-with-a-long-name-to-need-a-new-page-${i}`);
    const error = await (async () => { for (const name of names) await store.set(name, 1); })().then(() => undefined, (e: unknown) => e);
    assert.instance(error, StorageFullError);
    assert.is((error as StorageFullError).where, file);
  } finally {
    store.close();
  }
});

test.run();
