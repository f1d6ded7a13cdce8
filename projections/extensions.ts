// The user's code eventlake runs (CLI --extensions, a stack's EventLakeProps.extensions): the shape of an extensions module (balance rules, upcasters) and its shape check.

import { createBalancesProjection, type BalanceRule } from '../domain/balances.ts';
import type { Projection } from '../domain/projection.ts';
import { createStatementProjection } from './statement.ts';
import type { UpcasterStep } from '../schemas/upcasters.ts';

/** One upcaster of an extensions module (`--schemas` must load both versions' schemas). */
export type { UpcasterStep };

/**
 * What an extensions module gives the CLI (`--extensions FILE`, EVENTLAKE_EXTENSIONS, config `extensions`):
 * the same values the TypeScript API takes, `openLocalEventlake({ balanceRules })` and `registry.addUpcaster`.
 */
export interface Extensions {
  /** Folding rules of the balances projection by event type (a built-in type's rule is replaced). */
  readonly balanceRules?: Readonly<Record<string, BalanceRule>>;
  /** Upcasters of the user's types, applied on read like the built-in ones. */
  readonly upcasters?: readonly UpcasterStep[];
}

/**
 * Types for an extensions module; returns its argument. Export the values by name (or the whole as default).
 *
 * @example
 * // eventlake.extensions.ts, loaded with `eventlake --extensions ./eventlake.extensions.ts …`
 * export const { balanceRules, upcasters } = defineExtensions({
 *   balanceRules: { outgoing_payment: { decide: (e) => ({ counters: [{ key: String(e.SourceAccount), delta: -parseAmount(String(e.Amount)) }] }) } },
 *   upcasters: [{ type: 'outgoing_payment', fromVersion: 1, upcast: (e) => ({ ...e, Purpose: 'UNKNOWN' }) }],
 * });
 */
export function defineExtensions<T extends Extensions>(extensions: T & Extensions): T {
  return extensions;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems with `balanceRules`, each naming the path inside the module. */
function ruleProblems(rules: unknown): string[] {
  if (!isObject(rules)) return ['balanceRules must be an object of rules by event type, e.g. { outgoing_payment: { decide } }'];
  return Object.entries(rules).flatMap(([type, rule]) => {
    if (!isObject(rule) || typeof rule['decide'] !== 'function') return [`balanceRules.${type} must be a rule with a decide(event, related) function`];
    if (rule['related'] !== undefined && typeof rule['related'] !== 'function') return [`balanceRules.${type}.related must be a function (or left out)`];
    return [];
  });
}

/** Problems with `upcasters`, each naming the path inside the module. */
function upcasterProblems(steps: unknown): string[] {
  if (!Array.isArray(steps)) return ['upcasters must be a list of { type, fromVersion, upcast }'];
  return steps.flatMap((step: unknown, i) => {
    if (!isObject(step)) return [`upcasters[${i}] must be { type, fromVersion, upcast }`];
    const problems: string[] = [];
    if (typeof step['type'] !== 'string' || step['type'] === '') problems.push(`upcasters[${i}].type must be an event type name`);
    if (!Number.isSafeInteger(step['fromVersion']) || (step['fromVersion'] as number) < 1) problems.push(`upcasters[${i}].fromVersion must be a whole number >= 1`);
    if (typeof step['upcast'] !== 'function') problems.push(`upcasters[${i}].upcast must be a function (event) => event`);
    return problems;
  });
}

/**
 * The extensions of an imported module's namespace: its named `balanceRules` / `upcasters`, else its default export;
 * `problems` lists what is wrong (empty when the shape is right).
 */
export function extensionsOf(namespace: Record<string, unknown>): { extensions: Extensions; problems: string[] } {
  const named = 'balanceRules' in namespace || 'upcasters' in namespace;
  let source = named ? namespace : namespace['default'];
  // A default export compiled to CommonJS (a module outside a "type": "module" package) comes wrapped once more.
  if (isObject(source) && !('balanceRules' in source || 'upcasters' in source) && isObject(source['default'])) source = source['default'];
  if (!isObject(source) || !('balanceRules' in source || 'upcasters' in source)) {
    return { extensions: {}, problems: ['it exports neither balanceRules nor upcasters (export them by name, or export default defineExtensions({ ... }))'] };
  }
  const problems = [
    ...(source['balanceRules'] === undefined ? [] : ruleProblems(source['balanceRules'])),
    ...(source['upcasters'] === undefined ? [] : upcasterProblems(source['upcasters'])),
  ];
  return { extensions: source as Extensions, problems };
}

/**
 * `projections` with the built-in balances and statement projections folding `rules` too (others as they are): both,
 * so the statement keeps adding up to the balances, as a local lake opened with the same rules does.
 */
export function withBalanceRules(projections: readonly Projection[], rules: Readonly<Record<string, BalanceRule>>): Projection[] {
  if (Object.keys(rules).length === 0) return [...projections];
  const folding = [createBalancesProjection(rules), createStatementProjection(rules)];
  return projections.map((p) => folding.find((f) => f.name === p.name) ?? p);
}
