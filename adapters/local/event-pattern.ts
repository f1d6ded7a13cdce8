// EventBridge event patterns, compiled once into a predicate over a bus entry (the local dispatcher's rule matcher).
//
// Semantics follow EventBridge (and AWS's open-source event-ruler): keys at one level are AND, the values of a
// field's array are OR, `$or` is an OR of sub-patterns, comparison operators apply to leaf values only, a leaf that
// is an array matches when any element matches, and only `{ "exists": false }` can match a field that is absent.

import type { EventPattern } from '../../domain/ports/dispatcher.ts';
import { bad, isLeaf, isObject, operator, someLeaf, type Leaf, type LeafTest } from './event-pattern-operators.ts';

export { wildcardRegExp } from './event-pattern-operators.ts';

/** A compiled pattern: true when the event (a bus entry) matches. */
export type PatternPredicate = (event: unknown) => boolean;

/** The leaf values of a field: an array is flattened; objects are not leaves (so `exists` ignores them, as AWS does). */
function leavesOf(value: unknown): Leaf[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  return isLeaf(value) ? [value] : [];
}

function field(matchers: readonly unknown[], path: string): LeafTest {
  if (matchers.length === 0) bad(path, 'a field needs at least one value to match');
  const tests = matchers.map((m): LeafTest => {
    if (isLeaf(m)) return someLeaf((v) => v === m);
    if (isObject(m)) return operator(m, path);
    return bad(path, `${JSON.stringify(m)} is neither a value nor a matcher object`);
  });
  return (leaves) => tests.some((t) => t(leaves));
}

function object(pattern: Record<string, unknown>, path: string): PatternPredicate {
  const keys = Object.keys(pattern);
  if (keys.length === 0) bad(path, 'a pattern object needs at least one field');
  const parts = keys.map((key): PatternPredicate => {
    const spec = pattern[key];
    const at = path ? `${path}.${key}` : key;
    if (key === '$or' && Array.isArray(spec)) {
      if (!spec.every(isObject)) bad(at, '"$or" takes a list of pattern objects');
      const branches = spec.map((p, i) => object(p, `${at}[${i}]`));
      return (node) => branches.some((b) => b(node));
    }
    if (Array.isArray(spec)) {
      const test = field(spec, at);
      return (node) => test(leavesOf(isObject(node) ? node[key] : undefined));
    }
    if (isObject(spec)) {
      const nested = object(spec, at);
      return (node) => {
        const child = isObject(node) ? node[key] : undefined;
        if (!Array.isArray(child)) return nested(child);
        const objects = child.filter(isObject);
        return objects.length > 0 ? objects.some(nested) : nested(undefined);
      };
    }
    return bad(at, 'a pattern value is an array of matchers or a nested pattern object');
  });
  return (node) => parts.every((p) => p(node));
}

/**
 * Compile an EventBridge event pattern. Throws `InvalidArgumentError` naming the field for a malformed pattern.
 *
 * @example
 * const matches = compilePattern({ source: ['eventlake'], detail: { Amount: [{ prefix: '1' }] } });
 * matches(toBusEntry(event)); // true or false
 */
export function compilePattern(pattern: EventPattern): PatternPredicate {
  if (!isObject(pattern)) bad('', 'a pattern is a JSON object');
  return object(pattern, '');
}

/** One-off match of a pattern against an event (compile once with `compilePattern` when matching many). */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return compilePattern(pattern)(event);
}
