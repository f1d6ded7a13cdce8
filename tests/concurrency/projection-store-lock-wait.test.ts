// An apply to projections.db while another process holds its write lock waits in short steps with the event loop
// free, within one budget over the dispatch tail's attempts. Seen before this fix: SQLite's busy wait blocked the
// loop 5 s at a time (a serve answered 408 to bodies that had arrived), eight times for one emit.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import type { LockWaitClock } from '../../adapters/local/sqlite-lock-wait.ts';
import { createBalancesProjection } from '../../domain/balances.ts';
import { TransientError } from '../../domain/errors.ts';
import { numberedDeposit } from '../support/fakes/array-log.ts';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';

const balances = createBalancesProjection({});

/** A store in a new data dir and a second connection to its file holding the write lock. */
function lockedStore(options: { lockWaitMs?: number; clock?: LockWaitClock } = {}) {
  const file = join(tempDir(), 'projections.db');
  const store = new SqliteProjectionStore(file, options);
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  const release = () => { if (other.inTransaction) other.exec('ROLLBACK'); };
  return { store, release, close: () => { release(); other.close(); store.close(); } };
}

const test = suite('projections.db applies while another connection holds its write lock');

test('an apply waits for the lock with the event loop free, and is applied once the lock is released', async () => {
  const { store, release, close } = lockedStore();
  try {
    // Released by a timer: it fires only if the apply's waits leave the event loop free (a 5 s busy wait did not).
    setTimeout(release, 300);
    const [outcome] = await store.apply(balances, 1, [numberedDeposit(1)]);
    assert.is(outcome!.status, 'applied');
  } finally {
    close();
  }
});

test('the applies after one that waited its whole budget in vain try once each while the lock stays held', async () => {
  let t = 0;
  let sleeps = 0;
  const clock: LockWaitClock = { now: () => t, sleep: async (ms) => { sleeps++; t += ms; } };
  const { store, close } = lockedStore({ lockWaitMs: 210, clock });
  try {
    await rejects(() => store.apply(balances, 1, [numberedDeposit(1)]), TransientError);
    const first = sleeps;
    assert.ok(first > 0);
    await rejects(() => store.apply(balances, 1, [numberedDeposit(1)]), TransientError);
    assert.is(sleeps, first);
  } finally {
    close();
  }
});

test.run();
