// Whether a projection name is one the runtime loaded: an unknown one is refused, never read as empty state.

import { InvalidArgumentError } from '../domain/errors.ts';

/**
 * Throw `InvalidArgumentError` on `argument` (default `projection`) unless `name` is one of `known`, listing them:
 * a typo would otherwise read as "no state" (a balance of undefined, an empty snapshot list) or write a snapshot of nothing.
 */
export function assertKnownProjection(known: readonly string[], name: string, argument = 'projection'): void {
  if (!known.includes(name)) throw new InvalidArgumentError(argument, `unknown projection "${name}": use one of ${known.join(', ')}`);
}
