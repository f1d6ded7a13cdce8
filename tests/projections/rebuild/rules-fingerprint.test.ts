// A generation's rules fingerprint: the same rules give the same value in any process running the same code, and any
// change to what a projection folds with (a rule's source, a built-in rule, an upcaster that reaches it, the version)
// gives another; a recorded fingerprint of another code form, or none at all, compares as unknown, never as other.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BUILTIN_BALANCE_RULES, createBalancesProjection, type BalanceRule } from '../../../domain/balances.ts';
import type { Projection } from '../../../domain/projection.ts';
import { compareRules, recordRules, rulesFingerprint } from '../../../projections/rebuild/rules-fingerprint.ts';
import { createStatementProjection } from '../../../projections/statement.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import type { UpcasterStep } from '../../../schemas/upcasters.ts';

const test = suite('rules fingerprint');

const PRINT = fileURLToPath(new URL('./print-rules-fingerprints.ts', import.meta.url));
const feeRule: BalanceRule = { decide: (e) => ({ counters: [{ key: String(e['SourceAccount']), delta: -1n }] }) };
const feeRuleChanged: BalanceRule = { decide: (e) => ({ counters: [{ key: String(e['SourceAccount']), delta: -2n }] }) };
const upcast = (type: string, fn: UpcasterStep['upcast']): UpcasterStep => ({ type, fromVersion: 1, upcast: fn });
const fingerprint = (p: Projection, upcasters: readonly UpcasterStep[] = []) => rulesFingerprint(p, upcasters).fingerprint;

test('two fresh processes compute the same fingerprints for the built-in projections, and so does this one', () => {
  const run = () => execFileSync(process.execPath, ['--import', 'tsx', PRINT], { encoding: 'utf8' });
  const [first, second] = [run(), run()];
  assert.is(first, second);
  const upcasters = SchemaRegistry.load().upcasterSteps();
  assert.equal(JSON.parse(first), [createBalancesProjection(), createStatementProjection()].map((p) => rulesFingerprint(p, upcasters)));
});

test('the module loaded again through tsx\'s tsImport (whose URL carries a namespace query) reads as the same code form', async () => {
  const { tsImport } = await import('tsx/esm/api');
  const again = (await tsImport(new URL('../../../projections/rebuild/rules-fingerprint.ts', import.meta.url).href, import.meta.url)) as { rulesFingerprint: typeof rulesFingerprint };
  assert.equal(again.rulesFingerprint(createBalancesProjection()), rulesFingerprint(createBalancesProjection()));
});

test('two fresh projections with the same rules have the same fingerprint, named by projection and version', () => {
  const value = fingerprint(createBalancesProjection({ account_fee_charged: feeRule }));
  assert.is(fingerprint(createBalancesProjection({ account_fee_charged: feeRule })), value);
  assert.match(value, /^balances v1 [0-9a-f]{12}$/);
});

test('a changed rule source gives another fingerprint', () => {
  assert.is.not(fingerprint(createBalancesProjection({ account_fee_charged: feeRuleChanged })), fingerprint(createBalancesProjection({ account_fee_charged: feeRule })));
});

test('the built-in rules are part of it: replacing one changes the fingerprint', () => {
  assert.is.not(fingerprint(createBalancesProjection({ cash_withdrawal: feeRule })), fingerprint(createBalancesProjection()));
  assert.is.not(fingerprint(createBalancesProjection({ ...BUILTIN_BALANCE_RULES })), fingerprint({ ...createBalancesProjection(), rules: {} }));
});

test('the statement fingerprint changes with the balance rules it is given', () => {
  assert.is.not(fingerprint(createStatementProjection({ account_fee_charged: feeRule })), fingerprint(createStatementProjection({ account_fee_charged: feeRuleChanged })));
});

test('the statement fingerprint reads balance rules with related too (it folds them)', () => {
  const related = () => [];
  assert.is.not(fingerprint(createStatementProjection({ account_fee_charged: { ...feeRuleChanged, related } })), fingerprint(createStatementProjection({ account_fee_charged: { ...feeRule, related } })));
  assert.is.not(fingerprint(createStatementProjection({ cash_deposit: { ...feeRule, related } })), fingerprint(createStatementProjection()));
});

test('a changed upcaster of a type the projection folds changes it; one of a type it does not fold leaves it', () => {
  const balances = createBalancesProjection();
  const base = fingerprint(balances, [upcast('cash_withdrawal', (e) => ({ ...e, Channel: 'ATM' }))]);
  assert.is.not(fingerprint(balances, [upcast('cash_withdrawal', (e) => ({ ...e, Channel: 'BRANCH' }))]), base);
  assert.is(fingerprint(balances, [upcast('cash_withdrawal', (e) => ({ ...e, Channel: 'ATM' })), upcast('parcel_shipped', (e) => e)]), base);
});

test('a bumped projection version gives another fingerprint', () => {
  const balances = createBalancesProjection();
  assert.is.not(fingerprint({ ...balances, version: 2 }), fingerprint(balances));
});

test('a projection that does not list its rules is fingerprinted by its functions', () => {
  const counts = (delta: bigint): Projection => ({ name: 'counts', version: 1, handles: () => true, related: () => [], decide: (e) => ({ counters: [{ key: e.EventType, delta }] }) });
  assert.is(fingerprint(counts(1n)), fingerprint(counts(1n)));
  const other: Projection = { ...counts(1n), decide: (e) => ({ counters: [{ key: e.EventType, delta: 2n }] }) };
  assert.is.not(fingerprint(other), fingerprint(counts(1n)));
});

test('recorded rules compare as same, other, or unknown when none were recorded or another code form recorded them', () => {
  const running = rulesFingerprint(createBalancesProjection());
  const changed = rulesFingerprint(createBalancesProjection({ cash_withdrawal: feeRule }));
  assert.is(compareRules(recordRules(running), running), 'same');
  assert.is(compareRules(recordRules(changed), running), 'other');
  assert.is(compareRules({}, running), 'unknown');
  assert.is(compareRules(undefined, running), 'unknown');
  assert.is(compareRules({ ...recordRules(changed), rulesForm: 'minified' }, running), 'unknown');
});

test.run();
