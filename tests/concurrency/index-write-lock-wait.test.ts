// An index write (every catch-up's indexing, so every CLI read's) waits for another process's write lock on index.db,
// without blocking the event loop for long, and when it waits in vain its TransientError names the holder and the fix.
// Seen before this fix: `eventlake balance` while a serve indexed a backlog failed after 5 s with `TRANSIENT: index.db
// is busy: database is locked`, and the 5 s busy wait blocked a serve's event loop whole.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { lockTable } from '../../adapters/local/sqlite-lock-holder.ts';
import { TransientError } from '../../domain/errors.ts';
import type { NewIndexEntry } from '../../domain/ports/event-index.ts';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';

const entry = (n: number): NewIndexEntry => ({
  id: `cash_deposit_${n}`, type: 'cash_deposit', timestamp: 1_700_000_000 + n, accounts: ['ACC-000001'],
  location: { key: `events/year=2023/month=11/day=14/hour=22/cash_deposit_${n}.event` }, size: 200, storageClass: 'STANDARD', restore: 'NONE',
});

/** An index in a new data dir and a second connection to its file holding the write lock. */
function lockedIndex(options: { busyTimeoutMs?: number } = {}) {
  const file = join(tempDir(), 'index.db');
  const index = new SqliteEventIndex(file, options);
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  const release = () => { if (other.inTransaction) other.exec('ROLLBACK'); };
  return { index, release, close: () => { release(); other.close(); index.close(); } };
}

const test = suite('index writes while another connection holds index.db\'s write lock');

test('a write waits for the lock with the event loop free, and is stored once the lock is released', async () => {
  const { index, release, close } = lockedIndex();
  try {
    // Released by a timer: it fires only if the write's waits leave the event loop free (a 5 s busy wait did not).
    setTimeout(release, 300);
    assert.is((await index.put([entry(1)])).length, 1);
    assert.is(await index.count(), 1);
  } finally {
    close();
  }
});

test('a write that waited in vain names the process holding the lock', async () => {
  if (process.platform !== 'linux') return;
  const { index, close } = lockedIndex({ busyTimeoutMs: 20 });
  try {
    const error = await rejects(() => index.put([entry(1)]), TransientError);
    assert.match(error.message, `index.db is busy: pid ${process.pid} (`);
    assert.match(error.message, 'held its write lock for all of the 0.02 s this write waited; nothing was changed');
  } finally {
    close();
  }
});

test('without the kernel\'s lock table the message names the usual holders and the fix', async () => {
  const { index, close } = lockedIndex({ busyTimeoutMs: 20 });
  const locks = lockTable.locks;
  lockTable.locks = () => { throw Object.assign(new Error('no /proc'), { code: 'ENOENT' }); };
  try {
    const error = await rejects(() => index.put([entry(1)]), TransientError);
    assert.match(error.message, 'another process held its write lock (usually an eventlake serve or run indexing a backlog');
    assert.match(error.message, 'Try again once that process has caught up: it indexes these events too');
  } finally {
    lockTable.locks = locks;
    close();
  }
});

test.run();
