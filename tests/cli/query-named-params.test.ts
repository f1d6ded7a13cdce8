// `eventlake query --named NAME` without a parameter the query requires names the flag to add, and `query --help`
// lists every named query with its parameters (the README only showed examples).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';

const test = suite('eventlake query --named: parameters (CLI)');

test('account_history without an account exits 1 naming --param account=… and --account', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'query', '--named', 'account_history']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'eventlake: INVALID_ARGUMENT: --param: account_history needs account: add --param account=… or --account A');
});

test('events_to_replay without a start exits 1 naming --param from=… and --since', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'query', '--named', 'events_to_replay']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'eventlake: INVALID_ARGUMENT: --param: events_to_replay needs from: add --param from=… or --since T');
});

test('a required start given by its alias (--param since=…) is enough', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'query', '--named', 'events_to_replay', '--param', 'since=0', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
});

test('query --help lists each named query with its parameters, optional ones in brackets', async () => {
  const r = await runCli(['query', '--help']);
  assert.is(r.code, 0, r.stderr);
  for (const line of ['events_to_replay: from [to] [type] [account]', 'counts_per_type_per_day: [from] [to]', 'account_history: account [from] [to]', 'reconciliation_totals: [from] [to] [account]']) {
    assert.ok(r.stdout.includes(`  ${line}\n`), `${line} in:\n${r.stdout}`);
  }
});

test.run();
