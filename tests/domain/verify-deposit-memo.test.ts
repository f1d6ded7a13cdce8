// The built-in verification rule takes back its deposit's credit by the memo the deposit's rule left: a deposit folded
// by a rule that left none makes the verification fail (dead-lettered), never credit the verified amount on top.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { counterpartOf, createBalancesProjection } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { parseAmount } from '../../domain/money.ts';
import { foldEvents } from '../../domain/projection.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('verification of a deposit folded by a user rule');

const deposit = SAMPLES['cash_deposit'] as DomainEvent;
const verification = SAMPLES['verify_cash_deposit'] as DomainEvent;

test('a verification whose deposit left no memo { account, amount } fails instead of counting the deposit twice', () => {
  const balances = createBalancesProjection({
    cash_deposit: {
      related: (e) => [counterpartOf(e)!],
      decide: (e) => ({ counters: [{ key: String(e['TargetAccount']), delta: parseAmount(String(e['Amount'])) }] }),
    },
  });
  assert.throws(() => foldEvents(balances, [deposit, verification]), /left no memo \{ account, amount \}/);
});

test('a deposit folded by the built-in rule is taken back as before', () => {
  const state = foldEvents(createBalancesProjection(), [deposit, verification]);
  assert.equal([...state.counters], [['DE44-5001-0517', parseAmount('123.40')]]);
});

test.run();
