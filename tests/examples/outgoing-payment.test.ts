import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { balancesProjection } from '../../domain/balances.ts';
import { SchemaValidationError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { formatAmount } from '../../domain/money.ts';
import { applyToState, emptyState, foldEvents } from '../../domain/projection.ts';
import { balancesWithOutgoingPayments } from '../../examples/outgoing-payment/balance-rule.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';

const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples/outgoing-payment');
const SCHEMAS = join(EXAMPLE, 'schemas');
const registry = SchemaRegistry.load({ folders: [SCHEMAS], now: () => 1_750_000_000 });
const events = readFileSync(join(EXAMPLE, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => registry.validate(JSON.parse(l)));
const payment = events.find((e) => e.EventType === 'outgoing_payment')!;

function balances(projection = balancesWithOutgoingPayments, input: readonly DomainEvent[] = events): Record<string, string> {
  return Object.fromEntries([...foldEvents(projection, input).counters].sort().map(([k, v]) => [k, formatAmount(v)]));
}

const test = suite('example: outgoing_payment from a user schema folder');

test('the folder loads beside the built-ins and names its source', () => {
  assert.equal(registry.types().find((t) => t.type === 'outgoing_payment'), { type: 'outgoing_payment', versions: [1], sources: [SCHEMAS], upcasters: [] });
  assert.is(registry.types().length, 6);
});

test('the example schema passes schemas check', () => {
  assert.equal(checkSchemaFolder(SCHEMAS), { files: 1, findings: [] });
});

test('every event of the walk-through is valid', () => {
  assert.equal(events.map((e) => e.EventType), ['incoming_payment', 'cash_withdrawal', 'outgoing_payment']);
});

test('a bad outgoing payment is rejected with every failing field', () => {
  const bad = { ...payment, Amount: '12', TargetInstitution: '', Iban: 'x' };
  assert.throws(() => registry.validate(bad), (e: unknown) => e instanceof SchemaValidationError && e.issues.map((i) => i.pointer).sort().join() === '/Amount,/Iban,/TargetInstitution');
});

test('upcasting leaves the outgoing payment as it is and lifts the v1 withdrawal to v2', () => {
  const upcast = events.map((e) => registry.upcast(e));
  assert.is(upcast[2], payment);
  assert.equal([upcast[1]!.SchemaVersion, upcast[1]!['Channel']], [2, 'ATM']);
});

test('with the registered rule, an outgoing payment debits its SourceAccount only', () => {
  assert.equal(balances(), { 'DE44-5001-0517': '1100.00' });
});

test('the fold of the upcast log equals the fold of the log as written', () => {
  assert.equal(balances(balancesWithOutgoingPayments, events.map((e) => registry.upcast(e))), balances());
});

test('the built-in balances projection skips the type it does not know, and folds the rest', () => {
  const state = emptyState();
  assert.equal(events.map((e) => applyToState(state, balancesProjection, e)), ['applied', 'applied', 'skipped']);
  assert.equal(balances(balancesProjection), { 'DE44-5001-0517': '2300.00' });
});

test('a duplicate delivery of an outgoing payment debits once', () => {
  const state = foldEvents(balancesWithOutgoingPayments, [payment]);
  assert.is(applyToState(state, balancesWithOutgoingPayments, payment), 'duplicate');
  assert.is(state.counters.get('DE44-5001-0517'), -120000n);
});

test('balances do not depend on delivery order or duplicates', () => {
  const expected = balances();
  fc.assert(fc.property(fc.shuffledSubarray([...events, ...events], { minLength: events.length * 2 }), (delivery) => {
    assert.equal(balances(balancesWithOutgoingPayments, delivery), expected);
  }), { numRuns: 50 });
});

test.run();
