// `balance ACCOUNT` and `statement ACCOUNT` when the dead-letter store cannot be listed: they failed the whole read
// (exit 1, no balance), while serve answered the same balance with a DEAD_LETTERS_UNLISTED warning. They now print the
// balance (or lines) and warn on stderr that dead-lettered events may be left out unsaid, naming the error.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { SqliteDeadLetterStore } from '../../adapters/local/sqlite-dead-letter-store.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('balance and statement: a dead-letter store that cannot be listed does not fail the read');

const ACCOUNT = 'ACC-UNLISTED-1';
const PAYMENT: DomainEvent = { ...SAMPLES['incoming_payment']!, TargetAccount: ACCOUNT, Amount: '12.50', EventTimeStamp: 1_700_000_000 };
let dataDir: string;

test.before(async () => {
  dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir, dispatch: { baseDelayMs: 0, maxDelayMs: 0 } });
  try {
    await local.lake.emit([PAYMENT]);
  } finally {
    await local.close();
  }
});

/** `eventlake …argv` while every local dead-letter store's list fails as a disk I/O error does. */
async function whileListingFails(argv: readonly string[]) {
  const list = SqliteDeadLetterStore.prototype.list;
  SqliteDeadLetterStore.prototype.list = async () => { throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }); };
  try {
    return await runCli(argv);
  } finally {
    SqliteDeadLetterStore.prototype.list = list;
  }
}

const UNLISTED = (dir: string) => 'eventlake: warning: dead letters could not be listed (SQLITE_IOERR: disk I/O error), so this answer may leave ' +
  `out dead-lettered events without saying so: \`eventlake --data-dir ${dir} dlq list\` shows them once the store reads again\n`;

test('balance ACCOUNT prints the balance and warns that dead letters could not be listed, naming the error', async () => {
  const r = await whileListingFails(['--data-dir', dataDir, 'balance', ACCOUNT, '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { account: ACCOUNT, balance: '12.50' });
  assert.is(r.stderr, UNLISTED(dataDir));
});

test('statement ACCOUNT prints its lines and gives the same warning', async () => {
  const r = await whileListingFails(['--data-dir', dataDir, 'statement', ACCOUNT, '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trim().split('\n').length, 1, r.stdout);
  assert.is(r.stderr, UNLISTED(dataDir));
});

test('a readable store gives no such warning (the warning is about the failure, not every read)', async () => {
  const r = await runCli(['--data-dir', dataDir, 'balance', ACCOUNT, '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
});

test.run();
