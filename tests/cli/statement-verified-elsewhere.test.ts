// `eventlake statement ACCOUNT` (and GET /statement/ACCOUNT) for the account of a deposit whose verification names
// another account: its balance is 0.00 and its statement has no line. It used to refuse with "folded with an earlier
// rule: rebuild", deciding the deposit without its verification, and the rebuild it asked for changed nothing.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { readStatement } from '../../cli/commands/statement.ts';
import { followUp } from '../../cli/follow-up.ts';
import { buildServer } from '../../cli/server.ts';
import { counterpartOf, type BalanceRule } from '../../domain/balances.ts';
import { EventNotFoundError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { parseAmount } from '../../domain/money.ts';
import { rejects } from '../support/async.ts';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake statement: the account of a deposit verified into another account');

const DEPOSIT: DomainEvent = { ...SAMPLES['cash_deposit']!, TargetAccount: 'AAAA-1', Amount: '100.00', Currency: { '100-euro-bills': 1 } };
const VERIFICATION: DomainEvent = { ...SAMPLES['verify_cash_deposit']!, TargetAccount: 'BBBB-1', Amount: '90.00', VerifiedCurrency: { '50-euro-bills': 1, '20-euro-bills': 2 } };

const built = new Map<readonly DomainEvent[], Promise<string>>();

/** A data dir where `events` were emitted one call each (so dispatched in that order); one per list, as reads change none. */
const emittedInTurn = (events: readonly DomainEvent[]): Promise<string> => built.get(events) ?? built.set(events, emitEach(events)).get(events)!;

async function emitEach(events: readonly DomainEvent[]): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir });
  try {
    for (const event of events) await local.lake.emit([event]);
  } finally {
    await local.close();
  }
  return dataDir;
}

const DEPOSIT_FIRST = [DEPOSIT, VERIFICATION];

for (const [order, events] of [['deposit first', DEPOSIT_FIRST], ['verification first', [VERIFICATION, DEPOSIT]]] as const) {
  test(`${order}: the deposit's account has an empty statement and exit 0, as its balance 0.00 says`, async () => {
    const dataDir = await emittedInTurn(events);
    const balance = await runCli(['--data-dir', dataDir, 'balance', 'AAAA-1', '--json']);
    assert.is(balance.stdout, '{"account":"AAAA-1","balance":"0.00"}\n');
    const r = await runCli(['--data-dir', dataDir, 'statement', 'AAAA-1', '--json']);
    assert.equal({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout: '', stderr: '' });
  });
}

test('the table form of that empty statement prints (none)', async () => {
  const r = await runCli(['--data-dir', await emittedInTurn(DEPOSIT_FIRST), 'statement', 'AAAA-1']);
  assert.equal({ code: r.code, stdout: r.stdout }, { code: 0, stdout: '(none)\n' });
});

test('GET /statement/ACCOUNT of that account answers 200 with no lines', async () => {
  const local = await openLocalEventlake({ dataDir: await emittedInTurn(DEPOSIT_FIRST) });
  const app = buildServer(local);
  try {
    const r = await app.inject({ method: 'GET', url: '/statement/AAAA-1' });
    assert.equal({ status: r.statusCode, body: r.json() as unknown }, { status: 200, body: { account: 'AAAA-1', lines: [] } });
  } finally {
    await app.close();
    await local.close();
  }
});

test('the verification\'s account keeps the one verified line, its balance', async () => {
  const r = await runCli(['--data-dir', await emittedInTurn(DEPOSIT_FIRST), 'statement', 'BBBB-1', '--json']);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { amount: string; balance: string; status: string });
  assert.equal(lines.map((l) => [l.amount, l.status, l.balance]), [['90.00', 'verified', '90.00']]);
});

/** An earlier deposit rule, keeping the memo contract, that credited a fees account instead of the deposit's own. */
const TO_FEES: BalanceRule = {
  related: (e) => [counterpartOf(e)!],
  decide: (e, related) => ({
    counters: [{ key: 'FEES-0001', delta: related.size > 0 ? 0n : parseAmount(String(e['Amount'])) }],
    memo: { account: 'FEES-0001', amount: String(e['Amount']) },
  }),
};

test('guard: a deposit its account lost to an earlier rule is still told to rebuild statement', async () => {
  const dataDir = join(tempDir(), 'lake');
  const earlier = await openLocalEventlake({ dataDir, balanceRules: { cash_deposit: TO_FEES } });
  await earlier.lake.emit([DEPOSIT]).finally(() => earlier.close());
  const local = await openLocalEventlake({ dataDir });
  try {
    const read = readStatement(local, 'AAAA-1', { range: { from: 0, to: Infinity }, next: followUp(), listAccounts: 'GET /balances' });
    const error = await rejects(() => read, EventNotFoundError);
    assert.match(error.message, 'statement folded its cash_deposit events with an earlier rule (the loaded one moves it): rebuild statement');
  } finally {
    await local.close();
  }
});

test.run();
