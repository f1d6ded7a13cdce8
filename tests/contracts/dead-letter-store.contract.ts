// Contract of the DeadLetterStore port: every adapter (SQLite locally, SQS in AWS) must pass these, through the port alone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DeadLetter, DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';

interface Subject { store: DeadLetterStore; cleanup?: (() => Promise<void>) | undefined }

const letter = (id: string, target: string, failedAt: number, error = 'TRANSIENT: timeout'): DeadLetter =>
  ({ id, target, error, attempts: 5, failedAt });

/**
 * Runs the DeadLetterStore contract against a fresh, empty store from `makeSubject` per test.
 *
 * @example
 * deadLetterStoreContract('SqliteDeadLetterStore', async () => ({ subject: new SqliteDeadLetterStore(join(tempDir(), 'd.db')) }));
 */
export function deadLetterStoreContract(name: string, makeSubject: () => Promise<{ subject: DeadLetterStore; cleanup?: () => Promise<void> }>): void {
  const test = suite<Subject>(`DeadLetterStore contract: ${name}`, { store: undefined as unknown as DeadLetterStore });
  test.before.each(async (ctx) => {
    const made = await makeSubject();
    ctx.store = made.subject;
    ctx.cleanup = made.cleanup;
  });
  test.after.each(async (ctx) => ctx.cleanup?.());

  test('a new store lists no dead letters', async ({ store }) => {
    assert.equal(await store.list(), []);
  });

  test('an added dead letter is listed with its error and attempts', async ({ store }) => {
    await store.add(letter('cash_deposit_1', 'balances', 1000));
    assert.equal(await store.list(), [letter('cash_deposit_1', 'balances', 1000)]);
  });

  test('list(target) returns only that target\'s dead letters', async ({ store }) => {
    await store.add(letter('e1', 'balances', 1000));
    await store.add(letter('e1', 'statement', 1001));
    await store.add(letter('e2', 'statement', 1002));
    assert.equal((await store.list('statement')).map((d) => d.id), ['e1', 'e2']);
    assert.equal((await store.list('balances')).map((d) => d.id), ['e1']);
  });

  test('dead letters are listed oldest failure first', async ({ store }) => {
    await store.add(letter('late', 'balances', 3000));
    await store.add(letter('early', 'balances', 1000));
    assert.equal((await store.list()).map((d) => d.id), ['early', 'late']);
  });

  test('adding the same event and target again keeps one dead letter, the newer failure', async ({ store }) => {
    await store.add(letter('e1', 'balances', 1000, 'first'));
    await store.add({ ...letter('e1', 'balances', 2000, 'second'), attempts: 10 });
    assert.equal(await store.list(), [{ ...letter('e1', 'balances', 2000, 'second'), attempts: 10 }]);
  });

  test('remove deletes one (event, target) pair and leaves the others', async ({ store }) => {
    await store.add(letter('e1', 'balances', 1000));
    await store.add(letter('e1', 'statement', 1001));
    await store.remove('e1', 'balances');
    assert.equal((await store.list()).map((d) => [d.id, d.target]), [['e1', 'statement']]);
  });

  test('removing a dead letter that is not there is a no-op', async ({ store }) => {
    await store.remove('nothing', 'balances');
    assert.equal(await store.list(), []);
  });

  test.run();
}
