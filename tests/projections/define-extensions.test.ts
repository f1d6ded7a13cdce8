// defineExtensions types an extensions module's callbacks from context, as its TSDoc example writes them: the
// typecheck step of `npm test` compiles this file under strict (an untyped `e` was an implicit any there).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineExtensions, parseAmount } from '../../index.ts';

// Destructured, as the TSDoc and README write it: the binding pattern is what lost the callbacks' context.
const { balanceRules, upcasters } = defineExtensions({
  balanceRules: { outgoing_payment: { decide: (e) => ({ counters: [{ key: String(e.SourceAccount), delta: -parseAmount(String(e.Amount)) }] }) } },
  upcasters: [{ type: 'outgoing_payment', fromVersion: 1, upcast: (e) => ({ ...e, Purpose: 'UNKNOWN' }) }],
});

test('the TSDoc example of defineExtensions compiles under strict and returns the module unchanged', () => {
  const payment = { EventType: 'outgoing_payment', SchemaVersion: 1, RequestId: 'r', EventTimeStamp: 1, SourceAccount: 'A', Amount: '1.50' };
  assert.equal(balanceRules.outgoing_payment.decide(payment), { counters: [{ key: 'A', delta: -150n }] });
  assert.equal(upcasters[0]!.upcast(payment), { ...payment, Purpose: 'UNKNOWN' });
});

test.run();
