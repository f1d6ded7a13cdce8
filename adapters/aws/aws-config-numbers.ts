// The numeric settings of an AWS config: objects of whole numbers (`snapshots`, `identityClaims`), checked the same way
// whether they come from a config file or from the object passed to openAwsEventlake.

import { InvalidArgumentError } from '../../domain/errors.ts';
import { refuseUnknownKeys } from '../../domain/known-keys.ts';

/** `value` when it is a whole number >= 1, undefined when absent; otherwise `InvalidArgumentError` naming `key`. */
export function positiveInt(value: unknown, key: string, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1) throw new InvalidArgumentError(key, `must be a whole number >= 1 in ${where}, got ${JSON.stringify(value)}`);
  return value as number;
}

/**
 * The setting `name` as an object whose only keys are `keys`, each a whole number >= 1 (absent ones left out);
 * undefined when the setting is absent. A wrong type or an unknown key is an `InvalidArgumentError` naming it.
 */
export function positiveIntsOf<K extends string>(value: unknown, name: string, keys: readonly K[], where: string): { readonly [key in K]?: number } | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError(name, `must be an object in ${where}`);
  const given = value as Record<string, unknown>;
  refuseUnknownKeys(given, keys, where, `${name}.`);
  const out: { [key in K]?: number } = {};
  for (const key of keys) {
    const n = positiveInt(given[key], `${name}.${key}`, where);
    if (n !== undefined) out[key] = n;
  }
  return out;
}
