// `eventlake balance ACCOUNT` for an account no event touched: exit 1 with EVENT_NOT_FOUND, the account, what an
// account number looks like (lower case is the usual slip) and the command that lists every account.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';

const test = suite('eventlake balance: unknown account (CLI)');

test('an account no event touched exits 1 naming it, the account format and `eventlake balance`', async () => {
  const dataDir = await emptyDataDir();
  const r = await runCli(['--data-dir', dataDir, 'balance', 'de44-5001-0517']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, `eventlake: EVENT_NOT_FOUND: no event at account de44-5001-0517: no event has touched it; account numbers are 4-34 characters of A-Z, 0-9 and '-', and \`eventlake --data-dir ${dataDir} balance\` lists every account`);
});

test.run();
