// A user balance rule's statement entries add up, per account, to what the rule moved on the balance.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BalanceRule } from '../../domain/balances.ts';
import { createBalancesProjection } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { parseAmount } from '../../domain/money.ts';
import { foldEvents } from '../../domain/projection.ts';
import { createStatementProjection } from '../../projections/statement.ts';

const test = suite('statement entries of user balance rules');

/** A fee with its charge and a partial waiver on one account: two counter changes of the same key. */
const feeRule: BalanceRule = {
  decide: (event) => ({ counters: [{ key: String(event['Account']), delta: -500n }, { key: String(event['Account']), delta: 200n }] }),
};
const fee = { EventType: 'account_fee_charged', SchemaVersion: 1, RequestId: '0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e', EventTimeStamp: 1714000000, Account: 'DE44-5001-0517' } as unknown as DomainEvent;

test('a rule moving one account twice in one event has statement entries summing to both moves', () => {
  const balances = foldEvents(createBalancesProjection({ account_fee_charged: feeRule }), [fee]);
  const statement = foldEvents(createStatementProjection({ account_fee_charged: feeRule }), [fee]);
  const entries = [...statement.rows.values()].map((row) => parseAmount(String(row.value['amount'])));
  assert.is(entries.reduce((a, b) => a + b, 0n), balances.counters.get('DE44-5001-0517'));
});

test.run();
