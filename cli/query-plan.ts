// Which query `eventlake query` runs, read strictly from its argument and flags: a flag the chosen form does not use is
// refused with the way to say it in that form, and a parameter given twice (two --param, or a flag and a --param)
// with different values is refused naming both, never settled by which came last.

import { InvalidArgumentError } from '../domain/errors.ts';
import type { TimeRangeQuery } from '../domain/ports/event-index.ts';
import { QUERY_CATALOGUE, type QueryParamSpec } from '../domain/query-catalogue.ts';
import { parseTime, parseTimeMs, rangeOf } from '../domain/query-params.ts';

/** The query flags as commander parsed them. */
export interface QueryFlags {
  since?: string;
  until?: string;
  type?: string[];
  account?: string[];
  named?: string;
  param?: string[];
}

/** The query to run: raw SQL, the events of a range, or a named catalogue query with its parameters. */
export type QueryPlan =
  | { readonly kind: 'sql'; readonly sql: string }
  | { readonly kind: 'range'; readonly query: TimeRangeQuery }
  | { readonly kind: 'named'; readonly name: string; readonly params: Record<string, string> };

type FilterFlag = 'since' | 'until' | 'type' | 'account';
const FILTER_FLAGS: readonly FilterFlag[] = ['since', 'until', 'type', 'account'];
/** The catalogue parameter each filter flag gives, and back; `since`/`until` are also aliases in --param. */
const PARAM_OF: Readonly<Record<FilterFlag, string>> = { since: 'from', until: 'to', type: 'type', account: 'account' };
const FLAG_OF: Readonly<Record<string, string>> = { from: '--since T', to: '--until T', type: '--type X', account: '--account A' };
const ALIAS: Readonly<Record<string, string>> = { since: 'from', until: 'to' };
/**
 * The parameter a --param key names. Own keys only: `ALIAS[key]` gave Object.prototype for `__proto__` and a function
 * for `constructor`, and the refusal then named "[object Object]" or the function's source instead of the key.
 */
const paramOf = (key: string): string => (Object.hasOwn(ALIAS, key) ? ALIAS[key]! : key);
const flagOf = (param: string): string | undefined => (Object.hasOwn(FLAG_OF, param) ? FLAG_OF[param] : undefined);

const sqlText = (v: string) => `'${v.replaceAll("'", "''")}'`;
const sqlList = (vs: readonly string[]) => (vs.length === 1 ? ` = ${sqlText(vs[0]!)}` : ` IN (${vs.map(sqlText).join(', ')})`);
function epochOr(value: string): string {
  try {
    return String(parseTime(value, 'T'));
  } catch {
    return '<epoch seconds>';
  }
}

/** The WHERE clause that does in SQL what `flag` would have done. */
function whereFor(flag: FilterFlag, flags: QueryFlags): string {
  switch (flag) {
    case 'since': return `EventTimeStamp >= ${epochOr(flags.since!)}`;
    case 'until': return `EventTimeStamp < ${epochOr(flags.until!)}`;
    case 'type': return `EventType${sqlList(flags.type!)}`;
    case 'account': return `SourceAccount${sqlList(flags.account!)} OR TargetAccount${sqlList(flags.account!)}`;
  }
}

function refuseSqlFlags(flags: QueryFlags): void {
  for (const flag of FILTER_FLAGS) {
    if (flags[flag] === undefined) continue;
    throw new InvalidArgumentError(`--${flag}`, `applies to --since and --named queries; with SQL, filter in the WHERE clause: WHERE ${whereFor(flag, flags)}`);
  }
  if (flags.param !== undefined) {
    throw new InvalidArgumentError('--param', 'applies to --named queries only; SQL takes no parameters: write the value in the SQL text (e.g. in its WHERE clause)');
  }
}

function keyValue(p: string): [string, string] {
  const eq = p.indexOf('=');
  if (eq < 1) throw new InvalidArgumentError('--param', `"${p}" is not key=value`);
  return [p.slice(0, eq), p.slice(eq + 1)];
}

function refuseRangeParams(flags: QueryFlags): void {
  const first = flags.param?.[0];
  if (first === undefined) return;
  const [key, value] = keyValue(first);
  const flag = flagOf(paramOf(key))?.split(' ')[0];
  const instead = flag ? `: give ${flag} ${value} instead of --param ${first}` : '';
  throw new InvalidArgumentError('--param', `applies to --named queries only; a --since query takes --until, --type and --account${instead}`);
}

const items = (v: string) => [...new Set(v.split(',').map((s) => s.trim()))].sort().join(',');
/** Whether two values of parameter `key` mean the same: the same time, the same set of types or accounts, or equal text. */
function same(key: string, a: string, b: string): boolean {
  if (a === b) return true;
  if (key === 'from' || key === 'to') {
    try {
      return parseTime(a, key) === parseTime(b, key);
    } catch {
      return false;
    }
  }
  return (key === 'type' || key === 'account') && items(a) === items(b);
}

/** The named queries of the catalogue that take parameter `name` (of `kind`, if given), for help and refusals. */
export const namedQueriesTaking = (name: string, kind?: QueryParamSpec['kind']): string[] =>
  Object.values(QUERY_CATALOGUE).filter((q) => q.params.some((p) => p.name === name && (kind ?? p.kind) === p.kind)).map((q) => q.name);

/**
 * Refuses a comma in a parameter that takes one value (`account_history`'s account): `--param account=A,B` was
 * searched as the one account "A,B" and found nothing, silently. A list parameter takes it (comma-separated).
 */
function refuseListForOne(name: string, param: QueryParamSpec | undefined, value: string, from: string, argument: string): void {
  if (param?.kind !== 'text' || !value.includes(',')) return;
  const several = namedQueriesTaking(param.name, 'list');
  const instead = several.length > 0 ? `, or use ${several.join(', ')}, which take${several.length === 1 ? 's' : ''} several (comma-separated)` : '';
  throw new InvalidArgumentError(argument, `${name} takes one ${param.name}, and ${from} gives a list: run it once per ${param.name}${instead}`);
}

/** The parameters of named query `name` from --param and the filter flags, each given one way or two alike. */
function namedParams(name: string, flags: QueryFlags): Record<string, string> {
  const spec = Object.hasOwn(QUERY_CATALOGUE, name) ? QUERY_CATALOGUE[name] : undefined;
  // Null prototypes: on a plain object `params['__proto__'] = v` sets nothing, so the key vanished unrefused.
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  const source: Record<string, string> = Object.create(null) as Record<string, string>;
  const put = (key: string, value: string, from: string, argument: string) => {
    refuseListForOne(name, spec?.params.find((p) => p.name === key), value, from, argument);
    const known = source[key];
    if (known !== undefined && !same(key, params[key]!, value)) {
      throw new InvalidArgumentError(argument, `${key} is given twice with different values, ${known} and ${from}: give it once`);
    }
    if (known === undefined) [params[key], source[key]] = [value, from];
  };
  for (const p of flags.param ?? []) {
    const [key, value] = keyValue(p);
    put(paramOf(key), value, `--param ${p}`, '--param');
  }
  for (const flag of FILTER_FLAGS) {
    const given = flags[flag];
    if (given === undefined) continue;
    const key = PARAM_OF[flag];
    const param = spec?.params.find((p) => p.name === key);
    if (spec && !param) {
      throw new InvalidArgumentError(`--${flag}`, `${name} takes no ${key} (its parameters: ${spec.params.map((p) => p.name).join(', ')}); --${flag} applies to --since queries and to --named ${namedQueriesTaking(key).join(', ')}`);
    }
    const values = typeof given === 'string' ? [given] : [...new Set(given)];
    if (param?.kind === 'text' && values.length > 1) {
      throw new InvalidArgumentError(`--${flag}`, `${name} takes one ${key}, given ${values.join(', ')}: run it once per ${key}`);
    }
    put(key, values.join(','), `--${flag} ${values.join(` --${flag} `)}`, `--${flag}`);
  }
  // A plain object for callers; spreading copies an own __proto__ key as a key, so bindQuery still refuses it.
  return { ...params };
}

/** `params`, refused with the flag to add when the named query requires one it lacks (the catalogue's own words did not say how). */
function withRequiredParams(name: string, params: Record<string, string>): Record<string, string> {
  const spec = Object.hasOwn(QUERY_CATALOGUE, name) ? QUERY_CATALOGUE[name] : undefined;
  for (const p of spec?.params ?? []) {
    if (p.required && (params[p.name] ?? '') === '') {
      throw new InvalidArgumentError('--param', `${name} needs ${p.name}: add --param ${p.name}=…${FLAG_OF[p.name] ? ` or ${FLAG_OF[p.name]}` : ''}`);
    }
  }
  return params;
}

/**
 * The query `eventlake query` runs for its `sql` argument and `flags`; every flag is used by the chosen form or refused.
 *
 * @example
 * planQuery(undefined, { named: 'reconciliation_totals', account: ['ACC-1'], since: '2024-03-01' });
 * // { kind: 'named', name: 'reconciliation_totals', params: { from: '2024-03-01', account: 'ACC-1' } }
 */
export function planQuery(sql: string | undefined, flags: QueryFlags): QueryPlan {
  if (sql !== undefined && flags.named !== undefined) throw new InvalidArgumentError('query', 'give exactly one of: "SQL", --since T, --named NAME');
  if (sql !== undefined) {
    refuseSqlFlags(flags);
    return { kind: 'sql', sql };
  }
  if (flags.named !== undefined) return { kind: 'named', name: flags.named, params: withRequiredParams(flags.named, namedParams(flags.named, flags)) };
  if (flags.since === undefined) throw new InvalidArgumentError('query', 'give exactly one of: "SQL", --since T, --named NAME');
  refuseRangeParams(flags);
  // Each flag is checked under its own name first (an empty --until, from an unset variable, is refused, not read as
  // "to the log's end"); the range then compares milliseconds, so bounds within one second are empty, not swapped.
  parseTimeMs(flags.since, '--since');
  if (flags.until !== undefined) parseTimeMs(flags.until, '--until');
  const range = rangeOf({ from: flags.since, ...(flags.until !== undefined ? { to: flags.until } : {}) }, true);
  return {
    kind: 'range',
    query: {
      ...range,
      ...(flags.type ? { types: flags.type } : {}),
      ...(flags.account ? { accounts: flags.account } : {}),
    },
  };
}
