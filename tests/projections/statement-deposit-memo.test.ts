// The statement's built-in verification rule replaces its deposit's entry by the memo the deposit's rule left: a
// deposit folded by a user rule (its own entries, no memo) makes the verification fail (dead-lettered), never add the
// verified amount beside the deposit's rows.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BalanceRule } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { parseAmount } from '../../domain/money.ts';
import { foldEvents } from '../../domain/projection.ts';
import { createStatementProjection, statementOf } from '../../projections/statement.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('statement: verification of a deposit folded by a user rule');

const deposit = SAMPLES['cash_deposit'] as DomainEvent;
const verification = SAMPLES['verify_cash_deposit'] as DomainEvent;
const depositRule: BalanceRule = { decide: (e) => ({ counters: [{ key: String(e['TargetAccount']), delta: parseAmount(String(e['Amount'])) }] }) };

test('a verification whose deposit left no memo { account, amount, ts } fails instead of counting the deposit twice', () => {
  const statement = createStatementProjection({ cash_deposit: depositRule });
  assert.throws(() => foldEvents(statement, [deposit, verification]), /left no memo \{ account, amount, ts \}/);
});

test('a deposit folded by the built-in rule is replaced by its verification as before: one entry', () => {
  const state = foldEvents(createStatementProjection(), [deposit, verification]);
  const lines = statementOf([...state.rows].map(([key, row]) => ({ key, value: row.value })));
  assert.equal(lines.map((l) => [l.amount, l.verified]), [['123.40', true]]);
});

test.run();
