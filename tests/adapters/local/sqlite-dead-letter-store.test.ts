// SqliteDeadLetterStore: the DeadLetterStore contract, plus durability across reopening dispatch.db.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { SqliteDeadLetterStore } from '../../../adapters/local/sqlite-dead-letter-store.ts';
import { deadLetterStoreContract } from '../../contracts/dead-letter-store.contract.ts';
import { tempDir } from '../../support/tmp.ts';

deadLetterStoreContract('SqliteDeadLetterStore', async () => {
  const store = new SqliteDeadLetterStore(join(tempDir(), 'dispatch.db'));
  return { subject: store, cleanup: async () => store.close() };
});

const test = suite('SqliteDeadLetterStore');

test('dead letters survive closing and reopening the file', async () => {
  const file = join(tempDir(), 'dispatch.db');
  const first = new SqliteDeadLetterStore(file);
  await first.add({ id: 'e1', target: 'balances', error: 'RangeError: bad amount', attempts: 5, failedAt: 1700000000000 });
  first.close();
  const again = new SqliteDeadLetterStore(file);
  assert.equal(await again.list(), [{ id: 'e1', target: 'balances', error: 'RangeError: bad amount', attempts: 5, failedAt: 1700000000000 }]);
  again.close();
});

test.run();
