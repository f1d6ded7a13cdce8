// The check's private copy of a SQLite file a process keeps writing: a WAL checkpoint and restart between copying the
// main file and its WAL must not lose the checkpointed commits from the copy.

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DbCopy } from '../../../adapters/local/log-check-sqlite.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('DbCopy of a live database');

test('a checkpoint and a WAL restart between copying the main file and the WAL lose no commit from the copy', () => {
  const file = join(tempDir(), 'live.db');
  const writer = new Database(file);
  try {
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE a (x); CREATE TABLE b (y)');
    writer.pragma('wal_checkpoint(TRUNCATE)');
    writer.prepare('INSERT INTO a VALUES (1)').run(); // in the WAL only
    const copy = new DbCopy(file, tempDir(), () => {
      // What a writer may do while the main file is copied: move the commit into it, then restart the WAL.
      writer.pragma('wal_checkpoint(TRUNCATE)');
      writer.prepare('INSERT INTO b VALUES (2)').run();
    });
    try {
      assert.equal(copy.db.prepare('SELECT (SELECT count(*) FROM a) AS a, (SELECT count(*) FROM b) AS b').get(), { a: 1, b: 1 });
    } finally {
      copy.close();
    }
  } finally {
    writer.close();
  }
});

test.run();
