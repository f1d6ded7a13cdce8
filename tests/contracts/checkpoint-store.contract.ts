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

  test.run();
}
