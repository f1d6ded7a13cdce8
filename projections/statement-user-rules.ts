// The statement entries of the user's balance rules (`balanceRules`, as given to the balances projection), so that for
// every account the statement adds up to the balance, rules with `related` included.
//
// Why a rule with `related` can fold here: the statement keeps, for each event a user rule folds, the memo that rule
// left, as balances does, so a rule reading its related events' records reads here what it reads in balances.

import { counterpartOf, type BalanceRule } from '../domain/balances.ts';
import type { DomainEvent } from '../domain/event.ts';
import { checkChanges } from '../domain/projection-changes-check.ts';
import { depositRule, PAIR_OTHER, verificationRule } from './statement-pair-rules.ts';
import { accountLines, movesByAccount, recordsFor, type StatementRule } from './statement-entry.ts';

/**
 * One entry per account a user rule moves money on (`<event id>#<account>`), of the sum of its moves there.
 * `keepMemo`: keep the memo the rule leaves, for rules with `related` to read.
 */
function fromBalanceRule(rule: BalanceRule, keepMemo: boolean): StatementRule {
  return (event, related) => {
    const changes = checkChanges('statement', event, rule.decide(event, recordsFor(rule, event, related)));
    const rows = accountLines(event, movesByAccount(changes));
    return keepMemo && changes.memo ? { rows, memo: changes.memo } : { rows };
  };
}

/**
 * The statement rule of each of `balanceRules`. A cash_deposit / verify_cash_deposit rule with `related` keeps the
 * pair's one entry (statement-pair-rules.ts); any other folds as `fromBalanceRule`. Memos are kept only when some rule
 * has `related` (only such a rule reads them): without one, the statement's records stay what they always were. A pair
 * type's rule without `related` keeps no memo while the other type has its built-in rule, which would read the memo as
 * the pair's entry and count the deposit twice (such a set is refused at open: BUILTIN_RULES_UNFIT).
 */
export function userStatementRules(balanceRules: Readonly<Record<string, BalanceRule>>): Record<string, StatementRule> {
  const given = (type: string): BalanceRule | undefined => (Object.hasOwn(balanceRules, type) ? balanceRules[type] : undefined);
  // Whether that type's rule keeps the pair's one entry: the built-in one does, and a user rule with related.
  const keepsEntry = (type: string): boolean => given(type)?.related !== undefined || given(type) === undefined;
  const anyRelated = Object.values(balanceRules).some((rule) => rule.related);
  const out: Record<string, StatementRule> = {};
  for (const [type, rule] of Object.entries(balanceRules)) {
    const other = Object.hasOwn(PAIR_OTHER, type) ? PAIR_OTHER[type]! : undefined;
    if (rule.related && type === 'cash_deposit') out[type] = depositRule(rule, keepsEntry('verify_cash_deposit'));
    else if (rule.related && type === 'verify_cash_deposit') out[type] = verificationRule(rule, keepsEntry('cash_deposit'));
    else out[type] = fromBalanceRule(rule, anyRelated && (other === undefined || given(other) !== undefined));
  }
  return out;
}

/** The identities the statement reads records of for `event` under `rule`: the rule's, and a pair rule's counterpart. */
export function userRuleRelated(type: string, rule: BalanceRule, event: DomainEvent): readonly string[] {
  const own = rule.related?.(event) ?? [];
  const other = rule.related && Object.hasOwn(PAIR_OTHER, type) ? counterpartOf(event) : undefined;
  return other === undefined || own.includes(other) ? own : [...own, other];
}
