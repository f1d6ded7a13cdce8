// `schemas check`'s `builtin-rule` finding: a folder making a built-in type's latest version one its built-in rules
// were not written for. The versions live here, beside the lint, so that the library's checkSchemaFolder reports it by
// default as the CLI does; projections/builtin-rule-coverage.ts refuses the same at open time from them.

import type { BalanceRule } from '../domain/balances.ts';
import type { CheckOptions, SchemaFinding } from './check.ts';

/**
 * The version of each built-in type its built-in rules were written for: projections get every event upcast to its
 * type's latest version, so a newer one loaded from a user's folder reaches rules that read fields it may not have.
 * (The cash_withdrawal rule reads only fields v1 and v2 share.)
 */
export const BUILTIN_RULE_VERSIONS: Readonly<Record<string, number>> = {
  cash_deposit: 1, verify_cash_deposit: 1, cash_withdrawal: 2, incoming_payment: 1, inter_account_transfer: 1,
};

/**
 * Why making `version` (defined in `file`) the latest of `type` leaves it to built-in rules not written for it, naming
 * the fix; undefined when it does not: a type without built-in rules, a version they were written for, or a type whose
 * rule `balanceRules` replaces. The reason `assertBuiltinRulesFit` gives, for a linter to give it before a lake opens.
 */
export function builtinRuleProblem(type: string, version: number, file: string, balanceRules: Readonly<Record<string, BalanceRule>>): string | undefined {
  const writtenFor = Object.hasOwn(BUILTIN_RULE_VERSIONS, type) ? BUILTIN_RULE_VERSIONS[type]! : undefined;
  if (writtenFor === undefined || version <= writtenFor || Object.hasOwn(balanceRules, type)) return undefined;
  return `the schemas make v${version} its latest version (${file}), and every ${type} reaches the projections upcast to it, ` +
    `but the built-in rules were written for v${writtenFor} and read its fields: replace the rule with balanceRules.${type} in the ` +
    `extensions module (it folds both balances and statement), or keep v${writtenFor} as the latest version (remove ${type}.v${version}.json; ` +
    'a new shape can be a new event type with its own rule)';
}

/**
 * A `builtin-rule` finding for each type whose latest version among `schemas` (a folder's) its built-in rules were not
 * written for: asked of `builtinRuleProblem` when given, else of the built-in versions with `balanceRules` (default:
 * none replaced), so the library reports what `schemas check` does.
 */
export function builtinRuleFindings(schemas: Iterable<{ type: string; version: number; file: string }>, options: Pick<CheckOptions, 'builtinRuleProblem' | 'balanceRules'>): SchemaFinding[] {
  const problem = options.builtinRuleProblem ?? ((type, version, file) => builtinRuleProblem(type, version, file, options.balanceRules ?? {}));
  const latest = new Map<string, { version: number; file: string }>();
  for (const { type, version, file } of schemas) if ((latest.get(type)?.version ?? 0) < version) latest.set(type, { version, file });
  return [...latest].flatMap(([type, { version, file }]) => {
    const message = problem(type, version, file);
    return message === undefined ? [] : [{ file, pointer: '', rule: 'builtin-rule' as const, message }];
  });
}
