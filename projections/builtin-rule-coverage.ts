// The open-time check that the built-in balances and statement rules fold only what they were written for: the
// versions of the built-in types they read, and a deposit/verification pair whose two rules can see each other.

import type { BalanceRule } from '../domain/balances.ts';
import { BuiltinRulesUnfitError, type BuiltinRuleFinding } from '../domain/builtin-rule-errors.ts';
import { builtinRuleProblem } from '../schemas/check-builtin-rules.ts';
import type { SchemaRegistry } from '../schemas/registry.ts';

// The versions live beside the schema lint, which reports the same before a lake opens (`builtin-rule`).
export { BUILTIN_RULE_VERSIONS, builtinRuleProblem } from '../schemas/check-builtin-rules.ts';

/** The projections whose built-in rules fold the built-in types (a balance rule replaces the type's rule in both). */
const FOLDING = ['balances', 'statement'] as const;

/**
 * Throw `BuiltinRulesUnfitError` when `registry` makes a built-in type's latest version newer than its built-in rules
 * were written for and `balanceRules` does not replace that type's rule, or when `balanceRules` replaces one of
 * cash_deposit / verify_cash_deposit with a rule without `related` while the other keeps its built-in rule. Call it
 * before anything is opened, with the rules the projections are built with.
 *
 * @example
 * assertBuiltinRulesFit(SchemaRegistry.load({ folders: ['./schemas'] }), extensions.balanceRules ?? {});
 */
export function assertBuiltinRulesFit(registry: SchemaRegistry, balanceRules: Readonly<Record<string, BalanceRule>>): void {
  const findings = [...versionFindings(registry, balanceRules), ...pairRuleFindings(balanceRules)];
  if (findings.length > 0) throw new BuiltinRulesUnfitError(findings);
}

function versionFindings(registry: SchemaRegistry, balanceRules: Readonly<Record<string, BalanceRule>>): BuiltinRuleFinding[] {
  return registry.types().flatMap(({ type, versions }) => {
    const latest = versions.at(-1)!;
    const message = builtinRuleProblem(type, latest, registry.entry(type, latest).file, balanceRules);
    return message === undefined ? [] : [{ type, projections: FOLDING, message }];
  });
}

const PAIR = [
  { type: 'cash_deposit', other: 'verify_cash_deposit', needs: 'see its verification (related: (e) => [`verify_cash_deposit_${e.RequestId}`]), credit nothing once that is applied, and leave the memo { account, amount } the built-in verification rule reverses' },
  { type: 'verify_cash_deposit', other: 'cash_deposit', needs: 'see its deposit (related: (e) => [`cash_deposit_${e.RequestId}`]) and reverse what the deposit credited (its memo { account, amount })' },
] as const;

/**
 * What `assertBuiltinRulesFit` refuses about `balanceRules` alone, whatever the schemas: a rule for one of
 * cash_deposit / verify_cash_deposit without `related` while the other keeps its built-in rule. `schemas check` reports
 * these (`builtin-rule`) with the open's words.
 */
export function pairRuleFindings(balanceRules: Readonly<Record<string, BalanceRule>>): BuiltinRuleFinding[] {
  return PAIR.flatMap(({ type, other, needs }) => {
    const rule = Object.hasOwn(balanceRules, type) ? balanceRules[type] : undefined;
    if (!rule || rule.related || Object.hasOwn(balanceRules, other)) return [];
    return [{
      type, projections: FOLDING,
      message: `balanceRules.${type} has no related, but the built-in ${other} rule still folds and a verification replaces its deposit's ` +
        `amount: the ${type} rule must ${needs}, else one order of the pair counts the deposit twice. Give it that, or replace ${other} too`,
    }];
  });
}
