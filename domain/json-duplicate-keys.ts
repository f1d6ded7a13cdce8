// A duplicate-key check for JSON text that JSON.parse has already accepted: JSON.parse keeps the last of two equal
// keys without a word, so `{"Amount":"1.00","Amount":"1000.00"}` would be stored as 1000.00 and the log keep an
// ambiguous record for good. Pure and single-pass, so every ingest path (cli/, schemas/) can afford it. Only ingest
// paths run it: what is stored was checked when it came in.

import { InvalidArgumentError } from './errors.ts';
import { printable } from './printable.ts';

/** The second occurrence of a key within one JSON object. */
export interface DuplicateJsonKey {
  /** The key, decoded (`"\u0061"` is `a`). */
  readonly key: string;
  /** Where the key is, from the root: object keys and array indexes; the last segment is `key`. */
  readonly path: readonly (string | number)[];
  /** UTF-16 offset of the second occurrence's opening quote in the text scanned. */
  readonly offset: number;
}

const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d, COMMA = 0x2c;

/**
 * The first duplicate key in `text`, or undefined when every object's keys are distinct.
 * `text` must be valid JSON (check it with JSON.parse first): the scan trusts its structure and reports nothing else.
 */
export function findDuplicateJsonKey(text: string): DuplicateJsonKey | undefined {
  // Per open container: where its keys start in `seen` (objects) or -1 (arrays), the key being read, the array index.
  // Why a flat list searched linearly: most objects hold a few keys, and a Set per object cost more than the search;
  // an object past SMALL keys gets a Set.
  const starts: number[] = [];
  const sets: (Set<string> | undefined)[] = [];
  const keys: string[] = [];
  const indexes: number[] = [];
  const seen: string[] = [];
  let depth = 0;
  let expectKey = false;
  // The next backslash at or after the scan: found once per backslash, not once per string (quadratic on long text).
  let nextBackslash = text.indexOf('\\');
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      let end = text.indexOf('"', i + 1);
      // Only text JSON.parse refused has a string that never ends: say nothing rather than loop.
      if (end === -1) return undefined;
      if (nextBackslash !== -1 && nextBackslash < start) nextBackslash = text.indexOf('\\', start);
      let escaped = false;
      if (nextBackslash !== -1 && nextBackslash < end) {
        escaped = true;
        // A quote preceded by an odd run of backslashes is part of the string.
        for (;;) {
          let b = end - 1;
          while (text.charCodeAt(b) === BACKSLASH) b--;
          if ((end - 1 - b) % 2 === 0) break;
          end = text.indexOf('"', end + 1);
          if (end === -1) return undefined;
        }
        nextBackslash = text.indexOf('\\', end + 1);
      }
      i = end;
      if (!expectKey) continue;
      expectKey = false;
      const key = escaped ? (JSON.parse(text.slice(start, end + 1)) as string) : text.slice(start + 1, end);
      const d = depth - 1;
      keys[d] = key;
      if (hasKey(seen, starts[d]!, sets, d, key)) return { key, path: pathOf(depth, starts, keys, indexes), offset: start };
    } else if (c === OPEN_OBJECT) {
      starts[depth] = seen.length;
      sets[depth++] = undefined;
      expectKey = true;
    } else if (c === OPEN_ARRAY) {
      starts[depth] = -1;
      indexes[depth++] = 0;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (c === CLOSE_OBJECT) seen.length = starts[depth - 1]!;
      depth--;
      expectKey = false;
    } else if (c === COMMA) {
      if (starts[depth - 1] === -1) indexes[depth - 1]!++;
      else expectKey = true;
    }
  }
  return undefined;
}

const SMALL = 16;

/** Whether the object at depth `d` (keys from `start` in `seen`) already holds `key`; records it if not. */
function hasKey(seen: string[], start: number, sets: (Set<string> | undefined)[], d: number, key: string): boolean {
  const set = sets[d];
  if (set !== undefined) {
    if (set.has(key)) return true;
    set.add(key);
    return false;
  }
  for (let k = start; k < seen.length; k++) if (seen[k] === key) return true;
  seen.push(key);
  if (seen.length - start > SMALL) sets[d] = new Set(seen.slice(start));
  return false;
}

function pathOf(depth: number, starts: readonly number[], keys: readonly string[], indexes: readonly number[]): (string | number)[] {
  const path: (string | number)[] = [];
  for (let d = 0; d < depth; d++) path.push(starts[d] === -1 ? indexes[d]! : keys[d]!);
  return path;
}

/** `path` as a JSONPath expression: `$.Details.Currency`, `$[3]`, `$["two words"]`. */
export function jsonPath(path: readonly (string | number)[]): string {
  return '$' + path.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
}

/** `path` as a JSON Pointer (RFC 6901): `/Details/Currency`. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNewline };
}

/**
 * What to tell the sender of a duplicate key: the key, its JSON path, where it is and the fix. `where` is, e.g.,
 * "column 22" or "line 3, column 5". Key and path are printable: JSON.stringify escapes C0 controls but leaves C1
 * and bidi controls raw, which a terminal obeys (a key holding U+202E would print its path reversed).
 */
export function duplicateKeyMessage(duplicate: DuplicateJsonKey, where: string): string {
  return `duplicate key ${printable(JSON.stringify(duplicate.key))} at ${printable(jsonPath(duplicate.path))} (${where}): ` +
    'a JSON object may hold a key once (JSON.parse would silently keep the last); remove one of the two';
}

/**
 * Throw `InvalidArgumentError` on `argument` if valid JSON `text` holds a duplicate key, naming the key, its path, its
 * line and column, and the fix.
 */
export function refuseDuplicateJsonKey(text: string, argument: string): void {
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate === undefined) return;
  const { line, column } = lineAndColumn(text, duplicate.offset);
  throw new InvalidArgumentError(argument, duplicateKeyMessage(duplicate, `line ${line}, column ${column}`));
}
