// SqliteCheckpointStore: the CheckpointStore contract, plus durability across reopening dispatch.db.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { SqliteDeadLetterStore } from '../../../adapters/local/sqlite-dead-letter-store.ts';
import { checkpointStoreContract } from '../../contracts/checkpoint-store.contract.ts';
import { tempDir } from '../../support/tmp.ts';
import { TS_CHILD_ARGS } from '../../support/ts-child.ts';

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

test('of compare-and-sets from the same value in several processes at once, exactly one wins', async () => {
  const file = join(tempDir(), 'dispatch.db');
  const first = new SqliteCheckpointStore(file);
  await first.set('lease', 7);
  const adapter = fileURLToPath(new URL('../../../adapters/local/sqlite-checkpoint-store.ts', import.meta.url));
  // A barrier: each process opens the file and says so, then all swap once every one is ready.
  const barrier = tempDir();
  const script = `const { SqliteCheckpointStore } = await import(${JSON.stringify(adapter)});
    const { readdirSync, writeFileSync } = await import('node:fs');
    const store = new SqliteCheckpointStore(${JSON.stringify(file)});
    writeFileSync(${JSON.stringify(barrier)} + '/' + process.argv[1], '');
    while (readdirSync(${JSON.stringify(barrier)}).length < 6) await new Promise((r) => setTimeout(r, 1));
    process.stdout.write(String(await store.compareAndSet('lease', 7, 100 + Number(process.argv[1]))));`;
  const run = promisify(execFile);
  const outs = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => run(process.execPath, [...TS_CHILD_ARGS, '--input-type=module', '-e', script, String(i)])));
  const won = outs.map((o) => o.stdout.trim());
  assert.is(won.filter((w) => w === 'true').length, 1, won.join(','));
  assert.is(await first.get('lease'), 100 + won.indexOf('true'));
  first.close();
});

test.run();
