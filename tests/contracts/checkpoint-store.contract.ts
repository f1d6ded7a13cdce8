// Contract of the CheckpointStore port: every adapter (SQLite, DynamoDB) must pass these, through the port alone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';

interface Subject { store: CheckpointStore; cleanup?: (() => Promise<void>) | undefined }

/**
 * Runs the CheckpointStore contract against a fresh store from `makeSubject` per test.
 *
 * @example
 * checkpointStoreContract('SqliteCheckpointStore', async () => ({ subject: new SqliteCheckpointStore(join(tempDir(), 'd.db')) }));
 */
export function checkpointStoreContract(name: string, makeSubject: () => Promise<{ subject: CheckpointStore; cleanup?: () => Promise<void> }>): void {
  const test = suite<Subject>(`CheckpointStore contract: ${name}`, { store: undefined as unknown as CheckpointStore });
  test.before.each(async (ctx) => {
    const made = await makeSubject();
    ctx.store = made.subject;
    ctx.cleanup = made.cleanup;
  });
  test.after.each(async (ctx) => ctx.cleanup?.());

  test('a checkpoint never set reads as 0', async ({ store }) => {
    assert.is(await store.get('dispatch'), 0);
  });

  test('a set position reads back', async ({ store }) => {
    await store.set('dispatch', 42);
    assert.is(await store.get('dispatch'), 42);
  });

  test('setting again replaces the position', async ({ store }) => {
    await store.set('dispatch', 42);
    await store.set('dispatch', 7);
    assert.is(await store.get('dispatch'), 7);
  });

  test('names are independent', async ({ store }) => {
    await store.set('dispatch', 5);
    await store.set('other', 9);
    assert.is(await store.get('dispatch'), 5);
    assert.is(await store.get('other'), 9);
  });

  test('an epoch-milliseconds position (the AWS index) round-trips exactly', async ({ store }) => {
    await store.set('dispatch', 1_735_689_600_123);
    assert.is(await store.get('dispatch'), 1_735_689_600_123);
  });

  test('compare-and-set from 0 sets a name never set (a missing name holds 0)', async ({ store }) => {
    assert.is(await store.compareAndSet('lease', 0, 11), true);
    assert.is(await store.get('lease'), 11);
  });

  test('compare-and-set from the value held replaces it', async ({ store }) => {
    await store.set('lease', 11);
    assert.is(await store.compareAndSet('lease', 11, 12), true);
    assert.is(await store.get('lease'), 12);
  });

  test('compare-and-set from a value not held changes nothing and answers false', async ({ store }) => {
    await store.set('lease', 11);
    assert.is(await store.compareAndSet('lease', 10, 99), false);
    assert.is(await store.compareAndSet('lease', 0, 99), false);
    assert.is(await store.get('lease'), 11);
  });

  test('compare-and-set from a non-zero value does not create a name never set', async ({ store }) => {
    assert.is(await store.compareAndSet('lease', 5, 6), false);
    assert.is(await store.get('lease'), 0);
  });

  test('compare-and-set from 0 takes a name set back to 0', async ({ store }) => {
    await store.set('lease', 11);
    assert.is(await store.compareAndSet('lease', 11, 0), true);
    assert.is(await store.compareAndSet('lease', 0, 13), true);
    assert.is(await store.get('lease'), 13);
  });

  test('of many concurrent compare-and-sets from the same value exactly one wins, and its value is stored', async ({ store }) => {
    await store.set('lease', 7);
    const nexts = Array.from({ length: 16 }, (_, i) => 1_735_689_600_123_000 + i);
    const won = await Promise.all(nexts.map((next) => store.compareAndSet('lease', 7, next)));
    assert.is(won.filter(Boolean).length, 1);
    assert.is(await store.get('lease'), nexts[won.indexOf(true)]);
  });

  test('of many concurrent compare-and-sets from 0 on a name never set exactly one wins', async ({ store }) => {
    const won = await Promise.all(Array.from({ length: 16 }, (_, i) => store.compareAndSet('fresh', 0, 100 + i)));
    assert.is(won.filter(Boolean).length, 1);
    assert.is(await store.get('fresh'), 100 + won.indexOf(true));
  });

  test('compare-and-set leaves other names alone', async ({ store }) => {
    await store.set('dispatch', 5);
    assert.is(await store.compareAndSet('lease', 0, 9), true);
    assert.is(await store.get('dispatch'), 5);
  });

  test.run();
}
