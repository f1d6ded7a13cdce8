// The check of the Changes a projection's rule returns, before any store applies them: what the `Changes` type says
// (domain/projection.ts), enforced at run time for rules written in JavaScript or cast past the compiler.
//
// Why it is needed: a store trusts the shape. A string delta was concatenated by the SQLite store's batch sum ('5' +
// '5') but added by DynamoDB's ADD, so the adapters disagreed and the local result depended on batching; a float went
// into an INTEGER column and broke every later read; a bigint in a row failed inside JSON.stringify with no word of
// which projection or field. Checked here, each is the rule's error (`ProjectionRuleError`), the same everywhere.

import type { DomainEvent } from './event.ts';
import { eventId } from './event.ts';
import { ProjectionRuleError } from './projection-errors.ts';
import type { Changes } from './projection.ts';

const DELTA_FIX = "return a bigint: 150n, not 1.5 or '1.50' (parseAmount('1.50') gives 150n)";
const JSON_FIX = 'hold JSON values only: strings, numbers, booleans, null, arrays and plain objects';

/**
 * The causes of the `ProjectionRuleError`s the check threw (plain TypeErrors, so messages read as before): they tell
 * dispatch that the rule's answer was refused, which the same event gets again (no retry helps). Weak: never kept alive.
 */
const refusals = new WeakSet<object>();

/** Whether `error` is the check's refusal of a rule's Changes: deterministic, dead-lettered at once by dispatch. */
export function isChangesCheckError(error: unknown): error is ProjectionRuleError {
  return error instanceof ProjectionRuleError && error.cause instanceof TypeError && refusals.has(error.cause);
}

/**
 * `changes` as they are when they are what `Changes` says: each counter's `key` a non-empty string and `delta` a bigint,
 * each row's `key` and `partition` strings and `value` a JSON object, the memo a JSON object; optional fields may be
 * absent or undefined. Cheap on the hot path: a typeof per counter, a walk of each row value and memo.
 *
 * @throws ProjectionRuleError naming the projection, the event, the field (e.g. `counters[0].delta`), what it holds
 *   and the fix; its `cause` is a TypeError with the same words.
 * @example
 * checkChanges('balances', event, { counters: [{ key: 'A', delta: 150n }] }); // returned as it is
 */
export function checkChanges(projection: string, event: DomainEvent, changes: Changes): Changes {
  const problem = changesProblem(changes);
  if (problem === undefined) return changes;
  const error = new TypeError(`decide returned ${problem}`);
  refusals.add(error);
  throw new ProjectionRuleError(projection, eventId(event), String(event.EventType), error);
}

/** What is wrong with `changes` (`field is value: fix`), or undefined when nothing is. */
function changesProblem(changes: Changes): string | undefined {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    return `${shown(changes)} in place of its Changes: return an object { counters?, rows?, memo? } ({} when the event changes nothing)`;
  }
  const { counters, rows, memo } = changes;
  if (counters !== undefined) {
    if (!Array.isArray(counters)) return `counters = ${shown(counters)}: return an array of { key, delta }, or leave counters out`;
    for (let i = 0; i < counters.length; i++) {
      const c: unknown = counters[i];
      if (typeof c !== 'object' || c === null) return `counters[${i}] = ${shown(c)}: return { key: string, delta: bigint }`;
      const { key, delta } = c as { key?: unknown; delta?: unknown };
      if (typeof key !== 'string' || key === '') return `counters[${i}].key = ${shown(key)}: return a non-empty string, the counter's name (e.g. an account)`;
      if (typeof delta !== 'bigint') return `counters[${i}].delta = ${shown(delta)}: ${DELTA_FIX}`;
    }
  }
  if (rows !== undefined) {
    if (!Array.isArray(rows)) return `rows = ${shown(rows)}: return an array of { key, partition, value }, or leave rows out`;
    for (let i = 0; i < rows.length; i++) {
      const r: unknown = rows[i];
      if (typeof r !== 'object' || r === null) return `rows[${i}] = ${shown(r)}: return { key: string, partition: string, value: a JSON object }`;
      const { key, partition, value } = r as { key?: unknown; partition?: unknown; value?: unknown };
      if (typeof key !== 'string') return `rows[${i}].key = ${shown(key)}: return a string`;
      if (typeof partition !== 'string') return `rows[${i}].partition = ${shown(partition)}: return a string`;
      const bad = objectProblem(value, `rows[${i}].value`);
      if (bad !== undefined) return bad;
    }
  }
  // null is what the stores hand back for "no memo" (AppliedRecord.memo), so a rule passing a related record's memo on
  // returns it: taken as no memo, as the stores always did.
  return memo === undefined || memo === null ? undefined : objectProblem(memo, 'memo');
}

/** What is wrong with `value` as a JSON object at `path`, or undefined. */
function objectProblem(value: unknown, path: string): string | undefined {
  if (!isPlainObject(value)) return `${path} = ${shown(value)}: return a plain JSON object${path === 'memo' ? ', or leave memo out' : ''}`;
  const at = jsonProblem(value, []);
  if (at === undefined) return undefined;
  const field = path + at.path.join('');
  return `${field} = ${at.cycle ? 'the object holding it (a cycle)' : shown(at.value)}: row values and memos ${JSON_FIX}${fixFor(at)}`;
}

interface JsonProblem {
  /** Accessors from the outer value down, e.g. `.amount`, `[2]`. */
  readonly path: string[];
  readonly value: unknown;
  /** The value is one of the objects enclosing it. */
  readonly cycle?: boolean;
}

/**
 * The first value within `value` that is not a JSON value (`JsonValue` in domain/event.ts), with its path; undefined
 * when there is none. `above` holds the objects enclosing `value`: one of them again is a cycle, which no JSON holds.
 */
function jsonProblem(value: unknown, above: object[]): JsonProblem | undefined {
  switch (typeof value) {
    case 'string': case 'number': case 'boolean': return undefined;
    case 'object': break;
    default: return { path: [], value };
  }
  if (value === null) return undefined;
  const array = Array.isArray(value);
  if (above.includes(value)) return { path: [], value, cycle: true };
  if (!array && !isPlainObject(value)) return { path: [], value };
  above.push(value);
  try {
    if (array) {
      for (let i = 0; i < value.length; i++) {
        const inner = jsonProblem(value[i], above);
        if (inner) return { ...inner, path: [`[${i}]`, ...inner.path] };
      }
      return undefined;
    }
    // for-in, not Object.keys: no array per object (a statement row is checked per event); a plain object inherits no keys.
    for (const key in value) {
      const inner = jsonProblem((value as Record<string, unknown>)[key], above);
      if (inner) return { ...inner, path: [/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`, ...inner.path] };
    }
    return undefined;
  } finally {
    above.pop();
  }
}

/** An object JSON keeps as it is: a literal (or `Object.create(null)`), not a Date, Map or class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The fix for one non-JSON value, after the general rule. */
function fixFor({ value, cycle }: JsonProblem): string {
  if (cycle) return ': a value that holds itself has no JSON form; copy the fields you need instead';
  if (typeof value === 'bigint') return `: write it as a string (String(x) gives '${value}')`;
  if (value === undefined) return ': leave the field out, or write null';
  if (value instanceof Date) return ': write it as a string (toISOString()) or epoch seconds';
  if (typeof value === 'object' && value !== null) return ': copy the fields you need into a plain object';
  return '';
}

/** A value as a message shows it, with its kind: `'5' (a string)`, `1.5 (a number)`, `1n (a bigint)`, `a Date`. */
function shown(value: unknown): string {
  switch (typeof value) {
    case 'string': return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value).replace(/^"|"$/g, "'")} (a string)`;
    case 'number': return `${value} (a number)`;
    case 'bigint': return `${value}n (a bigint)`;
    case 'boolean': return `${value} (a boolean)`;
    case 'undefined': return 'undefined';
    case 'function': return 'a function';
    case 'symbol': return 'a symbol';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}
