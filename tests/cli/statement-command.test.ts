// `eventlake statement ACCOUNT`: the account's lines in event-time order with signed amounts, a deposit's status and
// the balance after each line, adding up to what `eventlake balance` prints; an account without lines exits 1.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import type { DomainEvent } from '../../domain/event.ts';

const test = suite('eventlake statement (CLI)');

const ACCOUNT = 'DE44-5001-0517';
const UNVERIFIED = 'FR76-3000-6000';
let dataDir = '';

test.before(async () => {
  const unverified = variant('cash_deposit', { RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', TargetAccount: UNVERIFIED, Amount: '10.00', Currency: { '10-euro-bills': 1 } }) as DomainEvent;
  dataDir = await emittedDataDir([...Object.values(SAMPLES), unverified]);
});

const statement = (...args: string[]) => runCli(['--data-dir', dataDir, 'statement', ...args]);
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

test('a verified deposit, a withdrawal, a payment and a transfer appear in event-time order with signed amounts and running balances', async () => {
  const r = await statement(ACCOUNT, '--json');
  assert.is(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout).map((l) => [l['type'], l['amount'], l['status'], l['balance']]);
  assert.equal(lines, [
    ['cash_deposit', '123.40', 'verified', '123.40'],
    ['cash_withdrawal', '-200.00', undefined, '-76.60'],
    ['incoming_payment', '123.45', undefined, '46.85'],
    ['inter_account_transfer', '-123.45', undefined, '-76.60'],
  ]);
});

test('the last line\'s balance is what `eventlake balance` prints, for the sending and the receiving account', async () => {
  for (const account of [ACCOUNT, 'NL91-ABNA-0417']) {
    const lines = jsonLines((await statement(account, '--json')).stdout);
    const balance = jsonLines((await runCli(['--data-dir', dataDir, 'balance', account, '--json'])).stdout)[0]!['balance'];
    assert.is(lines.at(-1)!['balance'], balance, account);
  }
});

test('a deposit no verification has reached reads unverified', async () => {
  const lines = jsonLines((await statement(UNVERIFIED, '--json')).stdout);
  assert.equal(lines.map((l) => [l['type'], l['amount'], l['status']]), [['cash_deposit', '10.00', 'unverified']]);
});

test('--json prints one object per line: account, ISO time, id, type, amount, status, balance, reference', async () => {
  const [first] = jsonLines((await statement(ACCOUNT, '--json')).stdout);
  assert.equal(first, {
    account: ACCOUNT, time: '2009-02-13T23:31:30.000Z', id: 'cash_deposit_3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f', type: 'cash_deposit',
    amount: '123.40', status: 'verified', balance: '123.40', reference: 'Some Free Form Text',
  });
});

test('the table has a header and one row per line, status empty where the line has none', async () => {
  const r = await statement(ACCOUNT);
  assert.is(r.code, 0, r.stderr);
  const rows = r.stdout.trimEnd().split('\n');
  assert.match(rows[0]!, /^time +id +type +amount +status +balance +reference$/);
  assert.is(rows.length, 5);
  assert.match(rows[2]!, /cash_withdrawal +-200\.00 +-76\.60 +Some Free Form Text$/);
});

test('--since and --until keep the lines of [since, until), each with the balance the whole statement gives it', async () => {
  const r = await statement(ACCOUNT, '--json', '--since', '1234567990', '--until', '1234569990');
  assert.is(r.code, 0, r.stderr);
  assert.equal(jsonLines(r.stdout).map((l) => [l['type'], l['balance']]), [['cash_withdrawal', '-76.60'], ['incoming_payment', '46.85']]);
});

test('an account no event touched exits 1 with EVENT_NOT_FOUND naming it and `eventlake balance`', async () => {
  const r = await statement('de44-5001-0517');
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, `eventlake: EVENT_NOT_FOUND: no event at account de44-5001-0517: no event has touched it; account numbers are 4-34 characters of A-Z, 0-9 and '-', and \`eventlake --data-dir ${dataDir} balance\` lists every account`);
});

test('an empty account is refused naming ACCOUNT, before the data dir is read', async () => {
  const r = await statement('');
  assert.is(r.code, 1);
  assert.match(r.stderr, 'eventlake: INVALID_ARGUMENT: ACCOUNT: is empty: give an account number');
});

test('--help names the account, --since, --until, --json and what status and balance mean', async () => {
  const r = await runCli(['statement', '--help']);
  assert.is(r.code, 0);
  for (const words of ['Usage: eventlake statement [options] <account>', '--since <T>', '--until <T>', '--json', 'verified once its verification is folded', 'counts every line']) {
    assert.match(r.stdout, words);
  }
});

test.run();
