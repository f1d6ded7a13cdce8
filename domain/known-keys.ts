// How eventlake refuses a key it does not know in an options object (or a config file) and describes a value of the
// wrong type. Why: a misspelt option (`schemaFolder` for `schemaFolders`) silently ignored opens a lake without what
// the caller asked for; refused, it names the key, the likely intended one and every known key.

import { InvalidArgumentError } from './errors.ts';

/** Edit distance (insert, delete, substitute, swap two neighbours): `sinse` is 1 from `since`. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name `name` is most likely a slip for, if one is close (case aside, at most a third of it apart).
 *
 * @example
 * closestKey('schemaFolder', ['dataDir', 'schemaFolders']); // 'schemaFolders'
 */
export function closestKey(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const ranked = known.map((k) => ({ k, d: distance(lower, k.toLowerCase()) })).sort((x, y) => x.d - y.d);
  const best = ranked[0];
  return best && best.d <= Math.max(1, Math.floor(best.k.length / 3)) ? best.k : undefined;
}

/**
 * Throw `InvalidArgumentError` on the first key of `given` that is not one of `known`, naming it (`path` + key), the
 * known key it is close to if any, and the known keys. `where` says where the key was found.
 *
 * @example
 * refuseUnknownKeys({ schemaFolder: [] }, ['dataDir', 'schemaFolders'], 'the options of openLocalEventlake');
 * // INVALID_ARGUMENT: "schemaFolder: unknown key in the options of openLocalEventlake (did you mean schemaFolders?); known keys: dataDir, schemaFolders"
 */
export function refuseUnknownKeys(given: object, known: readonly string[], where: string, path = ''): void {
  const unknown = Object.keys(given).find((k) => !known.includes(k));
  if (unknown === undefined) return;
  const guess = closestKey(unknown, known);
  throw new InvalidArgumentError(`${path}${unknown}`, `unknown key in ${where}${guess ? ` (did you mean ${path}${guess}?)` : ''}; known keys: ${known.join(', ')}`);
}

/**
 * What `value` is, for a message saying what was expected instead: `a string`, `a number`, `an array`, `null`…
 *
 * @example
 * `expected an array of folder paths, got ${describeValue('./my-schemas')}`; // '… got a string'
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** A wrong value as a message shows it: its kind, and the value itself when short (`a string ("100")`). */
export function shownValue(value: unknown): string {
  const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? JSON.stringify(value) : undefined;
  return text !== undefined && text.length <= 40 ? `${describeValue(value)} (${text})` : describeValue(value);
}

/** What an option must be (`is`), and how a message says so (`expected`: `a function (error) => void`). */
export interface OptionKind {
  readonly is: (value: unknown) => boolean;
  readonly expected: string;
}

/** Option kinds several options share. */
export const KIND = {
  function: (expected: string): OptionKind => ({ is: (v) => typeof v === 'function', expected }),
  array: (expected: string): OptionKind => ({ is: Array.isArray, expected }),
  object: (expected: string): OptionKind => ({ is: isOptionsObject, expected }),
  /** A finite number >= `least`, a whole one when `whole`. */
  number: (expected: string, least: number, whole = false): OptionKind => ({
    is: (v) => typeof v === 'number' && Number.isFinite(v) && v >= least && (!whole || Number.isInteger(v)), expected,
  }),
} as const;

/**
 * Throw `InvalidArgumentError` naming the option (`path` + key) on the first option of `given` that `kinds` has and
 * that is set to a value not of its kind: a number given as a string, a folder path given for a list of them.
 *
 * @example
 * refuseWrongKinds({ cacheRows: '10' }, { cacheRows: KIND.number('a whole number of rows >= 0', 0, true) });
 * // INVALID_ARGUMENT: 'cacheRows: expected a whole number of rows >= 0, got a string ("10")'
 */
export function refuseWrongKinds(given: Readonly<Record<string, unknown>>, kinds: Readonly<Record<string, OptionKind>>, path = ''): void {
  for (const [key, kind] of Object.entries(kinds)) {
    const value = given[key];
    if (value !== undefined && !kind.is(value)) throw new InvalidArgumentError(`${path}${key}`, `expected ${kind.expected}, got ${shownValue(value)}`);
  }
}

/** Whether `value` is a plain options object (not null, not an array). */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
