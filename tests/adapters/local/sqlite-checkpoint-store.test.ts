// SqliteCheckpointStore: the CheckpointStore contract, plus durability across reopening dispatch.db.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { SqliteDeadLetterStore } from '../../../adapters/local/sqlite-dead-letter-store.ts';
import { checkpointStoreContract } from '../../contracts/checkpoint-store.contract.ts';
import { tempDir } from '../../support/tmp.ts';

checkpointStoreContract('SqliteCheckpointStore', async () => {
  const store = new SqliteCheckpointStore(join(tempDir(), 'dispatch.db'));
  return { subject: store, cleanup: async () => store.close() };
});

const test = suite('SqliteCheckpointStore');

test('a checkpoint survives closing and reopening the file', async () => {
  const file = join(tempDir(), 'dispatch.db');
  const first = new SqliteCheckpointStore(file);
  await first.set('dispatch', 1234);
  first.close();
  const again = new SqliteCheckpointStore(file);
  assert.is(await again.get('dispatch'), 1234);
  again.close();
});

test('checkpoints and dead letters share dispatch.db without interfering', async () => {
  const file = join(tempDir(), 'dispatch.db');
  const checkpoints = new SqliteCheckpointStore(file);
  const dlq = new SqliteDeadLetterStore(file);
  await checkpoints.set('dispatch', 9);
  await dlq.add({ id: 'e1', target: 'balances', error: 'x', attempts: 1, failedAt: 1 });
  assert.is(await checkpoints.get('dispatch'), 9);
  assert.is((await dlq.list()).length, 1);
  checkpoints.close();
  dlq.close();
});

test.run();
