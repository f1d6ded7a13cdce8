// The regexes of a JSON Schema (`pattern` values and `patternProperties` keys, wherever a subschema may sit) whose shape
// can take exponential time (regex-safety.ts): `schemas check` reports them and the registry refuses to load them.

import { ptr } from './breaking-changes.ts';
import { regexHazard } from './regex-safety.ts';

/** One unsafe regex: where it is (a JSON pointer into the schema file), the pattern, and why it is refused. */
export interface PatternHazard {
  readonly pointer: string;
  readonly pattern: string;
  readonly message: string;
}

type Node = Record<string, unknown>;

/** Keywords whose value is a map of subschemas, one subschema, or a list of them (draft 2020-12, and older spellings). */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_ONE_OR_LIST = ['items', 'prefixItems', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'contains',
  'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'propertyNames', 'additionalItems', 'contentSchema'];

/**
 * Every regex of `schema` that regexHazard refuses, outer subschemas first. Why refused at load and not only reported by
 * `schemas check`: validation runs on every emitted event and blocks the process while it runs, so one such pattern
 * lets one request freeze `serve` for every client; the check is by shape, and a pattern it refuses can be rewritten.
 *
 * @example
 * patternHazards({ properties: { Note: { type: 'string', pattern: '^(a+)+$' } } });
 * // [{ pointer: '/properties/Note/pattern', pattern: '^(a+)+$', message: 'pattern "^(a+)+$" repeats (a+)+, …' }]
 */
export function patternHazards(schema: Node): PatternHazard[] {
  const found: PatternHazard[] = [];
  const pending: { node: Node; path: string[] }[] = [{ node: schema, path: [] }];
  while (pending.length > 0) {
    const { node, path } = pending.shift()!;
    const check = (pattern: string, at: string[]) => {
      const hazard = regexHazard(pattern);
      if (hazard !== undefined) found.push({ pointer: ptr(...at), pattern, message: `pattern ${JSON.stringify(pattern)} ${hazard}` });
    };
    if (typeof node['pattern'] === 'string') check(node['pattern'], [...path, 'pattern']);
    const keyed = node['patternProperties'];
    if (isNode(keyed)) for (const key of Object.keys(keyed)) check(key, [...path, 'patternProperties', key]);
    for (const keyword of SCHEMA_MAPS) {
      const map = node[keyword];
      if (isNode(map)) for (const [name, sub] of Object.entries(map)) if (isNode(sub)) pending.push({ node: sub, path: [...path, keyword, name] });
    }
    for (const keyword of SCHEMA_ONE_OR_LIST) {
      const value = node[keyword];
      if (isNode(value)) pending.push({ node: value, path: [...path, keyword] });
      else if (Array.isArray(value)) value.forEach((sub, i) => isNode(sub) && pending.push({ node: sub, path: [...path, keyword, String(i)] }));
    }
  }
  return found;
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
