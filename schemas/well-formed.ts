// What no JSON Schema can say about an event but every store downstream needs: each string and key is well-formed
// Unicode, and the event nests no deeper than MAX_EVENT_DEPTH. Checked at validation, before the event is written.

import type { FieldIssue } from '../domain/errors.ts';
import { printable } from '../domain/printable.ts';
import { MAX_BOUND_DEPTH, MAX_NUMBER_CHARS } from './event-size.ts';

/**
 * Levels of objects and arrays an event may nest (the event itself is level 1). Why a limit: code that walks an
 * event (copies, serializers, the query engines) recurses, and no bank event nests more than a few levels.
 */
export const MAX_EVENT_DEPTH = 64;

const LONE_SURROGATE: Omit<FieldIssue, 'pointer'> = {
  reason: 'is not well-formed Unicode text (it holds a lone UTF-16 surrogate, such as "\\udc00")',
  expected: 'text whose surrogates come in pairs: send UTF-8 text, or escape a character above U+FFFF as its pair ("\\ud83d\\ude00")',
};

const TOO_DEEP: Omit<FieldIssue, 'pointer'> = {
  reason: `nests deeper than ${MAX_EVENT_DEPTH} levels of objects and arrays`,
  expected: `at most ${MAX_EVENT_DEPTH} levels: flatten the value`,
};

/** A surrogate without its other half; a regex of code units (no `u` flag), so each half is seen. */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Node 20 has String.prototype.isWellFormed; the ES2023 lib the project compiles against does not declare it. Why no
// cheaper test first: V8 answers a one-byte string (every usual field) without looking at it, faster than a regex.
const wellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * The issues of `event` no schema checks: every string value or key that is not well-formed Unicode (a lone
 * surrogate: SQLite and DuckDB store it as U+FFFD or refuse to read it back, so one stored event breaks every query of
 * its hour, and distinct accounts read back as one), and nesting deeper than MAX_EVENT_DEPTH, named once at the first
 * level too deep. `issues` (the schema's) follow them; returned as given when there are none. `bound`: the event's
 * `inputSizeBound`, when the caller has it already.
 */
export function withInputIssues(event: Record<string, unknown>, issues: FieldIssue[], bound = inputSizeBound(event)): FieldIssue[] {
  if (bound >= 0) return issues;
  const found: FieldIssue[] = [];
  walk(event, [], found);
  return found.length === 0 ? issues : [...found, ...issues];
}

/**
 * -1 when something in `event` needs naming by withInputIssues, else serializedSizeBound(event): one walk, without
 * allocating, answers both questions validation asks of every new event. for…in (the enum cache, no keys array) also
 * yields inherited enumerable keys, which can only answer -1 or raise the bound; the walk then decides.
 */
export function inputSizeBound(event: Record<string, unknown>): number {
  return cleanBound(event, 1);
}

function cleanBound(value: object, depth: number): number {
  if (depth > MAX_EVENT_DEPTH) return -1;
  let size = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bound = valueBound(value[i], depth);
      if (bound < 0) return -1;
      size += bound + 1;
    }
    return plainAt(value, depth) ? size : Infinity;
  }
  for (const key in value) {
    const bound = wellFormed(key) ? valueBound((value as Record<string, unknown>)[key], depth) : -1;
    if (bound < 0) return -1;
    size += 6 * key.length + 4 + bound;
  }
  return plainAt(value, depth) ? size : Infinity;
}

function valueBound(v: unknown, depth: number): number {
  if (typeof v === 'string') return wellFormed(v) ? 6 * v.length + 2 : -1;
  if (typeof v === 'number') return MAX_NUMBER_CHARS;
  if (typeof v === 'boolean') return 5;
  if (v === null) return 4;
  return typeof v === 'object' ? cleanBound(v, depth + 1) : Infinity;
}

/** Whether serializedSizeBound bounds `value` (at nesting `depth`, the event being 1) rather than answering Infinity. */
function plainAt(value: object, depth: number): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return depth - 1 <= MAX_BOUND_DEPTH && (Array.isArray(value) ? proto === Array.prototype : proto === Object.prototype || proto === null);
}

/**
 * Issues the walk names at most. Why: a body of a million lone surrogates would otherwise be answered with a million
 * issues, and a cyclic object from a JS caller (every path of it too deep) with as many as it has paths.
 */
const MAX_ISSUES = 100;

// Why a path of keys, not a pointer string: a pointer per field cost a string per field of every valid event.
// Returns false once the walk is to stop: at the first level too deep (named once), or MAX_ISSUES issues.
function walk(value: object, path: (string | number)[], found: FieldIssue[]): boolean {
  if (path.length >= MAX_EVENT_DEPTH) {
    found.push({ pointer: pointerOf(path), ...TOO_DEEP });
    return false;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!visit(value[i], path, i, found)) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!wellFormed(key)) found.push({ pointer: pointerOf([...path, key]), ...LONE_SURROGATE, reason: `has a name that ${LONE_SURROGATE.reason}` });
    if (!visit(record[key], path, key, found)) return false;
  }
  return true;
}

function visit(value: unknown, path: (string | number)[], key: string | number, found: FieldIssue[]): boolean {
  if (typeof value === 'string') {
    if (!wellFormed(value)) found.push({ pointer: pointerOf([...path, key]), ...LONE_SURROGATE });
  } else if (value !== null && typeof value === 'object') {
    path.push(key);
    const more = walk(value, path, found);
    path.pop();
    if (!more) return false;
  }
  return found.length < MAX_ISSUES;
}

/** `path` as a JSON pointer (`~0`, `~1`), lone surrogates and controls written as `\uXXXX` escapes, so it prints. */
function pointerOf(path: readonly (string | number)[]): string {
  return path.map((k) => `/${printable(String(k).replace(/~/g, '~0').replace(/\//g, '~1').replace(LONE, (c) => `\\u${c.charCodeAt(0).toString(16)}`))}`).join('');
}
