// A lake whose balanceRules.cash_deposit follows the memo contract (it reads its verification through `related`, as the
// built-in does) shows every deposit on the statement, and each account's statement ends at its balance.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { BalanceRule } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { parseAmount } from '../../domain/money.ts';
import { statementOf } from '../../projections/statement.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('statement of a lake with a cash_deposit rule that has related');
const ACC = 'DE44-5001-0517';
const UNVERIFIED = '7d2e9b1a-0c3f-4e5a-8b6d-9f0a1b2c3d4e';

/** The memo contract: sees its verification, credits nothing once it is applied, leaves { account, amount }. */
const depositRule: BalanceRule = {
  related: (e) => [`verify_cash_deposit_${e.RequestId}`],
  decide: (e, related) => {
    const [account, amount] = [String(e['TargetAccount']), String(e['Amount'])];
    const verified = related.has(`verify_cash_deposit_${e.RequestId}`);
    return { counters: [{ key: account, delta: verified ? 0n : parseAmount(amount) }], memo: { account, amount } };
  },
};

test('an unverified deposit, a verified one and a withdrawal are statement lines ending at the balance', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir(), balanceRules: { cash_deposit: depositRule } });
  try {
    const unverified = variant('cash_deposit', { RequestId: UNVERIFIED, EventTimeStamp: 1234560000, Amount: '50.00', Currency: { '50-euro-bills': 1 } });
    await local.lake.emit([unverified, SAMPLES['cash_deposit'] as DomainEvent, SAMPLES['verify_cash_deposit'] as DomainEvent, SAMPLES['cash_withdrawal'] as DomainEvent]);
    const lines = statementOf(await local.store.rows('statement', await local.store.liveGeneration('statement'), ACC));
    assert.equal(lines.map((l) => [l.type, l.amount, l.verified ?? false]), [
      ['cash_deposit', '50.00', false], ['cash_deposit', '123.40', true], ['cash_withdrawal', '-200.00', false],
    ]);
    assert.is(lines.at(-1)?.balance, (await local.lake.balances()).get(ACC));
  } finally {
    await local.close();
  }
});

test.run();
