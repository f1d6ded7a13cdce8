// The projection-name check of a store built with the lake's projections: one rule for SQLite and DynamoDB.

import { assertKnownProjection } from './known-projection.ts';

/**
 * A check that hands `name` back when `known` is undefined (a store that takes any name) or lists it, and else throws
 * `InvalidArgumentError` on `projection` naming the known ones (assertKnownProjection): a typo would read as empty.
 *
 * @example
 * const known = projectionNameCheck(['balances']);
 * known('balances'); // 'balances'; known('nope') throws
 */
export function projectionNameCheck(known: readonly string[] | undefined): (name: string) => string {
  if (known === undefined) return (name) => name;
  const names = [...known];
  return (name) => {
    assertKnownProjection(names, name);
    return name;
  };
}
