// The refusal to fold a built-in event type with rules not written for what is loaded: a newer version of the type,
// or a user rule that breaks the deposit/verification contract of the built-in rule it leaves in place.

import { EventlakeError } from './eventlake-error.ts';

/** One built-in type the loaded schemas and rules would fold wrongly. */
export interface BuiltinRuleFinding {
  /** The event type, e.g. `cash_deposit`. */
  readonly type: string;
  /** The projections that would fold it wrongly (`balances`, `statement`). */
  readonly projections: readonly string[];
  /** What is wrong and the fix, naming the version or the rule. */
  readonly message: string;
}

/**
 * The loaded schemas make a built-in type's latest version one its built-in rules were not written for (they would
 * read fields it no longer has: every such event dead-lettered, or counted wrongly), and the extensions do not
 * replace that type's rule; or a user rule for one of cash_deposit / verify_cash_deposit leaves the built-in rule
 * of the other unable to see it (one order of the pair counted twice). Refused before anything is opened or written.
 */
export class BuiltinRulesUnfitError extends EventlakeError {
  readonly code = 'BUILTIN_RULES_UNFIT';
  constructor(readonly findings: readonly BuiltinRuleFinding[]) {
    super(`${findings.length} built-in event type(s) would be folded by rules not written for them, refused before anything is opened:\n` +
      findings.map((f) => `  ${f.type} (${f.projections.join(', ')}): ${f.message}`).join('\n'));
  }
}
