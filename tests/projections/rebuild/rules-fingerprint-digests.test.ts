// Each rule's digest by event type (`ruleDigests`): hashed as the fingerprint hashes that rule and the upcasters
// reaching its type, so one rule or upcaster changing changes only its type's digest. The fingerprint is what it was
// before digests, so generations recorded then still read as built with the same rules.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { BUILTIN_BALANCE_RULES, createBalancesProjection, type BalanceRule } from '../../../domain/balances.ts';
import type { Projection } from '../../../domain/projection.ts';
import { ruleDigests, rulesFingerprint, withGivenRules } from '../../../projections/rebuild/rules-fingerprint.ts';
import { createStatementProjection } from '../../../projections/statement.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import type { UpcasterStep } from '../../../schemas/upcasters.ts';

const test = suite('rule digests');

const builtIn = BUILTIN_BALANCE_RULES['cash_deposit']!;
const depositWithFee: BalanceRule = { ...builtIn, decide: (event, related) => ({ ...builtIn.decide(event, related), counters: [] }) };
const upcaster: UpcasterStep = { type: 'cash_withdrawal', fromVersion: 1, upcast: (e) => ({ ...e, SchemaVersion: 2 }) };

/** The types whose digests differ between `a` and `b`. */
function differing(a: Record<string, string> | undefined, b: Record<string, string> | undefined): string[] {
  return Object.keys({ ...a, ...b }).filter((type) => a?.[type] !== b?.[type]).sort();
}

test('replacing one rule changes only its type\'s digest', () => {
  assert.equal(differing(ruleDigests(createBalancesProjection()), ruleDigests(createBalancesProjection({ cash_deposit: depositWithFee }))), ['cash_deposit']);
});

test('an upcaster reaching one type changes only that type\'s digest', () => {
  const balances = createBalancesProjection();
  assert.equal(differing(ruleDigests(balances), ruleDigests(balances, [upcaster])), ['cash_withdrawal']);
});

test('given rules (a bundle) record no digests: its text is not what the CLI reads', () => {
  assert.is(ruleDigests(withGivenRules(createBalancesProjection(), { fingerprint: 'balances v1 aaaaaaaaaaaa', form: 'synth' })), undefined);
});

// The fingerprint as it was computed before digests (commit 2e4d872), written out: a change to it reads every
// generation recorded before as built with other rules.
function fingerprintBeforeDigests(p: Projection, upcasters: readonly UpcasterStep[]): string {
  const source = (rule: object): [string, string][] => (typeof rule === 'function' ? [['', rule.toString()]]
    : Object.keys(rule).sort().flatMap((k): [string, string][] => { const v = (rule as Record<string, unknown>)[k]; return typeof v === 'function' ? [[k, v.toString()]] : []; }));
  const rules = p.rules!;
  const parts = Object.keys(rules).sort().flatMap((type) => source(rules[type]!).map(([part, s]) => ['rule', type, part, s]));
  const reaching = upcasters.filter((u) => Object.hasOwn(rules, u.type)).map((u) => ['upcaster', u.type, String(u.fromVersion), u.upcast.toString()])
    .sort((a, b) => (a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : Number(a[2]) - Number(b[2])));
  return `${p.name} v${p.version} ${createHash('sha256').update(JSON.stringify([p.name, p.version, ...parts, ...reaching])).digest('hex').slice(0, 12)}`;
}

test('the fingerprint is unchanged by digests', () => {
  const upcasters = [...SchemaRegistry.load().upcasterSteps(), upcaster];
  for (const p of [createBalancesProjection(), createBalancesProjection({ cash_deposit: depositWithFee }), createStatementProjection()]) {
    assert.is(rulesFingerprint(p, upcasters).fingerprint, fingerprintBeforeDigests(p, upcasters), p.name);
  }
});

test.run();
