// The built-in balances and statement rules fold only what they were written for: a newer version of a built-in type
// the extensions do not replace a rule for, or half of the deposit/verification pair replaced blind, is refused at open.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { checkAgainstSchemas } from '../../cli/load-extensions.ts';
import { BUILTIN_BALANCE_RULES, type BalanceRule } from '../../domain/balances.ts';
import { BuiltinRulesUnfitError } from '../../domain/builtin-rule-errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { parseAmount } from '../../domain/money.ts';
import { assertBuiltinRulesFit, BUILTIN_RULE_VERSIONS } from '../../projections/builtin-rule-coverage.ts';
import { BUILTIN_SCHEMAS_DIR, SchemaRegistry } from '../../schemas/registry.ts';
import type { UpcasterStep } from '../../schemas/upcasters.ts';
import { rejects } from '../support/async.ts';
import { thrown } from '../support/thrown.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('built-in rule coverage');

/** A folder with cash_deposit v2: AmountCents (whole cents) instead of Amount, as a schema walkthrough wrote it. */
function depositV2Folder(): string {
  const v1 = JSON.parse(readFileSync(join(BUILTIN_SCHEMAS_DIR, 'cash_deposit.v1.json'), 'utf8')) as Record<string, any>;
  const { Amount: _, ...properties } = v1['properties'];
  const v2 = {
    ...v1, $id: 'https://example.com/schemas/cash_deposit/v2.json',
    properties: { ...properties, SchemaVersion: { const: 2 }, AmountCents: { type: 'integer', minimum: 1 } },
    required: [...(v1['required'] as string[]).filter((f) => f !== 'Amount'), 'AmountCents'],
  };
  const dir = tempDir();
  writeFileSync(join(dir, 'cash_deposit.v2.json'), JSON.stringify(v2));
  return dir;
}

const upcasters: UpcasterStep[] = [{
  type: 'cash_deposit', fromVersion: 1,
  upcast: (e: DomainEvent) => { const { Amount, ...rest } = e; return { ...rest, AmountCents: Number(parseAmount(String(Amount))) }; },
}];
// One load of the built-in schemas for the tests that need nothing else (a load compiles every schema).
let builtins: SchemaRegistry | undefined;
const builtinRegistry = (): SchemaRegistry => (builtins ??= SchemaRegistry.load());
const depositV2Rule: BalanceRule = { decide: (e) => ({ counters: [{ key: String(e['TargetAccount']), delta: BigInt(Number(e['AmountCents'])) }] }) };

test('opening a lake whose schemas make a built-in type v2 without a rule for it is refused, naming type, version and projections, creating nothing', async () => {
  const dataDir = join(tempDir(), 'lake');
  const error = await rejects(() => openLocalEventlake({ dataDir, schemaFolders: [depositV2Folder()], upcasters }), BuiltinRulesUnfitError);
  assert.is(error.code, 'BUILTIN_RULES_UNFIT');
  assert.match(error.message, 'cash_deposit (balances, statement): the schemas make v2 its latest version');
  assert.match(error.message, 'replace the rule with balanceRules.cash_deposit');
  assert.match(error.message, 'keep v1 as the latest version');
  assert.not.ok(existsSync(dataDir));
});

test('an extensions module for such schemas is refused before anything opens (CLI, synth)', () => {
  const source = { file: '/ext.ts', argument: '--extensions' as const, where: '--extensions' };
  const error = thrown(() => checkAgainstSchemas({ source, balanceRules: {}, upcasters }, [depositV2Folder()]), BuiltinRulesUnfitError);
  assert.equal(error.findings.map((f) => f.type), ['cash_deposit']);
});

test('a deposit rule without related beside the built-in verification rule is refused: one order would count the deposit twice', () => {
  const error = thrown(() => assertBuiltinRulesFit(builtinRegistry(), { cash_deposit: depositV2Rule }), BuiltinRulesUnfitError);
  assert.match(error.message, 'balanceRules.cash_deposit has no related');
  assert.match(error.message, 'memo { account, amount }');
});

test('a verification rule without related beside the built-in deposit rule is refused too', () => {
  const error = thrown(() => assertBuiltinRulesFit(builtinRegistry(), { verify_cash_deposit: depositV2Rule }), BuiltinRulesUnfitError);
  assert.equal(error.findings.map((f) => f.type), ['verify_cash_deposit']);
});

test('rules replacing the v2 type, or the whole pair, are accepted', () => {
  const registry = SchemaRegistry.load({ folders: [depositV2Folder()], upcasters });
  assertBuiltinRulesFit(registry, { cash_deposit: depositV2Rule, verify_cash_deposit: depositV2Rule });
  assertBuiltinRulesFit(registry, { cash_deposit: { ...depositV2Rule, related: (e) => [`verify_cash_deposit_${e.RequestId}`] } });
});

test('the versions the built-in rules were written for are the latest built-in schemas, one per built-in rule', () => {
  const types = builtinRegistry().types();
  assert.equal(Object.keys(BUILTIN_RULE_VERSIONS).sort(), Object.keys(BUILTIN_BALANCE_RULES).sort());
  for (const [type, version] of Object.entries(BUILTIN_RULE_VERSIONS)) assert.is(types.find((t) => t.type === type)?.versions.at(-1), version, type);
});

test.run();
