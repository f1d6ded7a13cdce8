// A projection store this process cannot write or read (a read-only projections.db: its mode, owner or mount; EACCES,
// EPERM; a damaged file) is no event's fault: dispatch dead-letters nothing and delivers the events once it is fixed.
// Before this fix each such event was dead-lettered after the dispatcher's five attempts and the checkpoint moved past it.
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalDispatcher, type LocalRoute } from '../../adapters/local/local-dispatcher.ts';
import { StorageError } from '../../domain/errors.ts';
import type { DeadLetter, DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import { numberedDeposit } from '../support/fakes/array-log.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { decorateWith } from '../support/faults.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const sqlite = (code: string) => (): Error => new Database.SqliteError(`sqlite says ${code}`, code);
const errno = (code: string) => (): Error => Object.assign(new Error(`${code}: refused, open '/data/projections.db-wal'`), { code });

/** A dispatcher over one route whose handler always throws `error()`, and what it did. */
function failingWith(error: () => Error) {
  const letters: DeadLetter[] = [];
  const deadLetters: DeadLetterStore = { add: async (l) => void letters.push(l), list: async () => letters, remove: async () => undefined };
  const calls = { n: 0 };
  const route: LocalRoute = {
    rule: { name: 'balances-projector', pattern: { source: ['eventlake'] }, target: 'balances' },
    handler: async () => { calls.n++; throw error(); },
  };
  const dispatcher = new LocalDispatcher({ rules: [route], deadLetters, sleep: async () => undefined });
  return { dispatcher, letters, calls };
}

const publishError = async (dispatcher: LocalDispatcher): Promise<unknown> =>
  dispatcher.publish([numberedDeposit(1), numberedDeposit(2)]).then(() => undefined, (e: unknown) => e);

const test = suite('dispatch to a projection store it cannot write');

for (const [code, error] of [
  ['SQLITE_READONLY', sqlite('SQLITE_READONLY')], ['SQLITE_READONLY_DBMOVED', sqlite('SQLITE_READONLY_DBMOVED')],
  ['SQLITE_CANTOPEN', sqlite('SQLITE_CANTOPEN')], ['SQLITE_CORRUPT', sqlite('SQLITE_CORRUPT')],
  ['EACCES', errno('EACCES')], ['EPERM', errno('EPERM')], ['EROFS', errno('EROFS')],
] as const) {
  test(`${code} fails the publish at once with StorageError and dead-letters nothing`, async () => {
    const { dispatcher, letters, calls } = failingWith(error);
    const thrown = await publishError(dispatcher);
    assert.instance(thrown, StorageError);
    assert.match((thrown as Error).message, `projection balances failed: ${code}`);
    assert.match((thrown as Error).message, 'nothing was dead-lettered');
    assert.is(calls.n, 1);
    assert.equal(letters, []);
  });
}

test('a read-only store\'s StorageError names the fix', async () => {
  const thrown = await publishError(failingWith(sqlite('SQLITE_READONLY')).dispatcher);
  assert.match((thrown as Error).message, /Give the user eventlake runs as read and write access to the store's files \(projections\.db/);
});

test('an error an event can cause (SQLITE_CONSTRAINT) is still retried and dead-lettered', async () => {
  const { dispatcher, letters } = failingWith(sqlite('SQLITE_CONSTRAINT_NOTNULL'));
  const outcomes = await dispatcher.publish([numberedDeposit(1)]);
  assert.is(outcomes[0]!.status, 'published');
  assert.is(letters.length, 1);
  assert.match(letters[0]!.error, 'SQLITE_CONSTRAINT_NOTNULL');
});

test('an emit whose store refuses writes is stored and stalls dispatch with STORAGE_FAILED, never dead-lettered', async () => {
  // A store failure stalls dispatch like a full disk (dispatch-store-failed-stall.test.ts): applied after the back-off.
  const local = await openLocalEventlake({
    dataDir: tempDir(),
    decorate: decorateWith({ store: { method: 'apply', failFirst: 2, error: sqlite('SQLITE_READONLY') } }),
    onCatchUpError: () => undefined,
  });
  try {
    const [r] = await local.lake.emit(SAMPLES['cash_deposit']!);
    assert.is(r!.status, 'stored');
    assert.equal(await local.deadLetters.list(), []);
    assert.is(local.dispatchStall?.()?.error.code, 'STORAGE_FAILED');
  } finally {
    await local.close();
  }
});

test.run();
