// A write waiting for another process's SQLite write lock (index.db's catch-up, projections.db's apply) ends as soon
// as the process closes: close() during such a wait used to take up to its whole 30 s. Seen before this fix: a serve
// given SIGTERM while another process indexed a backlog stopped only after the wait, past its promised 5 s.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { isBusy, whenUnlocked, type LockWaitClock } from '../../adapters/local/sqlite-lock-wait.ts';
import { TransientError } from '../../domain/errors.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

/** A clock whose sleeps pass at once (time moves by what was asked), calling `onSleep` first. */
function fakeClock(onSleep: () => void): LockWaitClock & { sleeps: number } {
  let t = 0;
  const clock = { sleeps: 0, now: () => t, sleep: async (ms: number) => { clock.sleeps++; onSleep(); t += ms; } };
  return clock;
}

const test = suite('lock waits and close()');

test('a wait whose signal is aborted makes no further try and fails with a lock error saying the process is closing', async () => {
  const db = new Database(':memory:');
  const stop = new AbortController();
  let tries = 0;
  const clock = fakeClock(() => stop.abort());
  const wait = whenUnlocked(db, () => { tries++; throw busy(); }, { budgetMs: 30_000, signal: stop.signal, what: "index.db's write", stillLocked: (e) => e, clock });
  const error = await wait.then(() => undefined, (e: unknown) => e);
  assert.instance(error, TransientError);
  assert.match((error as Error).message, "index.db's write waited for another process's write lock and the wait was ended: this process is closing; nothing was changed");
  assert.is(tries, 1);
  assert.is(clock.sleeps, 1);
  // Told as a lock, so the dispatcher dead-letters nothing for a store wait close() ended.
  assert.ok(isBusy(error));
  db.close();
});

test('close() during an emit\'s wait for index.db\'s lock ends the wait: the emit is stored, the catch-up stops, the next open indexes it', async () => {
  const dataDir = tempDir();
  const errors: unknown[] = [];
  let putStarted!: () => void;
  const started = new Promise<void>((resolve) => { putStarted = resolve; });
  const local = await openLocalEventlake({
    dataDir,
    onCatchUpError: (e) => void errors.push(e),
    decorate: (name, port) => name !== 'index' ? port : new Proxy(port as object, {
      get: (target, key, receiver) => key !== 'putWithCursor' ? Reflect.get(target, key, receiver)
        : (...args: unknown[]) => { putStarted(); return (target as { putWithCursor: (...a: unknown[]) => unknown }).putWithCursor(...args); },
    }) as typeof port,
  });
  const other = new Database(join(dataDir, 'index.db'));
  other.exec('BEGIN IMMEDIATE');
  let released = false;
  try {
    const emitted = local.lake.emit(SAMPLES['cash_deposit']!);
    await started;
    await local.close();
    // close() returned with the lock still held: the wait ended, it did not outlast the lock (nor fail after 30 s).
    assert.is(released, false);
    assert.is((await emitted)[0]!.status, 'stored');
    assert.equal(errors, []);
  } finally {
    other.exec('ROLLBACK');
    released = true;
    other.close();
  }
  const again = await openLocalEventlake({ dataDir });
  try {
    assert.is(await again.lake.balance('DE44-5001-0517'), '123.45');
  } finally {
    await again.close();
  }
});

test.run();
