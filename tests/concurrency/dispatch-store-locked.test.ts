// Another process holding projections.db's write lock past SQLite's 5 s wait (a large dispatch batch under load, a
// rebuild's replay) is no event's fault: dispatch dead-letters nothing and delivers the events once the lock is gone.
// Seen before this fix with a real second process holding the lock for 70 s: one emitted deposit dead-lettered on
// balances and on statement (TRANSIENT: projection store: apply failed: database is locked), and its balance missing.
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalDispatcher, type LocalRoute } from '../../adapters/local/local-dispatcher.ts';
import { retryable } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { TransientError } from '../../domain/errors.ts';
import type { DeadLetter, DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import { numberedDeposit } from '../support/fakes/array-log.ts';
import { assertAppliedAfterStoreFaults } from '../support/store-fault-lake.ts';
import { thrown } from '../support/thrown.ts';

/** What the SQLite projection store's apply throws when the lock stayed held through busy_timeout. */
const locked = (): Error => thrown(() => retryable('projection store: apply', () => {
  throw new Database.SqliteError('database is locked', 'SQLITE_BUSY');
}, 'projections.db'), TransientError);

const test = suite('dispatch while another process holds the projection store locked');

test('a store locked past SQLite\'s wait fails the publish at once and dead-letters nothing', async () => {
  const letters: DeadLetter[] = [];
  const deadLetters: DeadLetterStore = { add: async (l) => void letters.push(l), list: async () => letters, remove: async () => undefined };
  let calls = 0;
  const route: LocalRoute = {
    rule: { name: 'balances-projector', pattern: { source: ['eventlake'] }, target: 'balances' },
    handler: async () => { calls++; throw locked(); },
  };
  const dispatcher = new LocalDispatcher({ rules: [route], deadLetters, sleep: async () => undefined });
  let error: unknown;
  await dispatcher.publish([numberedDeposit(1), numberedDeposit(2)]).catch((e: unknown) => { error = e; });
  assert.instance(error, TransientError);
  assert.match((error as Error).message, 'nothing was dead-lettered');
  assert.is(calls, 1);
  assert.equal(letters, []);
});

test('an emit whose store stays locked through every dispatcher attempt is applied once the lock is gone, never dead-lettered', async () => {
  // The lock outlasts the dispatcher's attempts for the event on both projections (one attempt each here; in a data
  // dir, five of SQLite's 5 s waits), then is released: the dispatch tail's own retry of the page delivers it.
  await assertAppliedAfterStoreFaults(locked);
});

test.run();
