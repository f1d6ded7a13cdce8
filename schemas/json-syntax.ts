// Where JSON text that JSON.parse refused breaks, in words that quote nothing of the text: V8's own message quotes
// its start, and a schema file may be a link to a file whose content must not be echoed (/etc/passwd).

import { lineAndColumn } from '../domain/json-duplicate-keys.ts';

const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

type State = 'value' | 'key' | 'colon' | 'after';

/**
 * `line L, column C: what was expected` for the first syntax error of `text` (1-based, as editors count). Iterative,
 * so a file of a million `[` cannot overflow the stack. For text JSON.parse accepts it says so.
 *
 * @example
 * jsonSyntaxProblem('{"a":1,}'); // 'line 1, column 8: expected a property name in double quotes'
 */
export function jsonSyntaxProblem(text: string): string {
  const found = firstError(text);
  if (found === undefined) return 'JSON.parse refused it, though its syntax looks complete';
  const { line, column } = lineAndColumn(text, found.offset);
  return `line ${line}, column ${column}: ${found.expected}`;
}

function firstError(text: string): { offset: number; expected: string } | undefined {
  const open: ('[' | '{')[] = [];
  let [i, state, empty] = [0, 'value' as State, false];
  for (;;) {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(text);
    i = WHITESPACE.lastIndex;
    const top = open[open.length - 1];
    if (i >= text.length) return state === 'after' && top === undefined ? undefined : { offset: i, expected: 'the file ends before the JSON is complete' };
    const c = text[i]!;
    if (empty && ((c === ']' && top === '[') || (c === '}' && top === '{'))) {
      [i, state, empty] = [i + 1, 'after', false];
      open.pop();
      continue;
    }
    empty = false;
    if (state === 'value') {
      if (c === '[' || c === '{') {
        open.push(c);
        [i, state, empty] = [i + 1, c === '[' ? 'value' : 'key', true];
        continue;
      }
      const end = c === '"' ? stringEnd(text, i) : scalarEnd(text, i);
      if (typeof end !== 'number') return end;
      [i, state] = [end, 'after'];
    } else if (state === 'key') {
      if (c !== '"') return { offset: i, expected: 'expected a property name in double quotes' };
      const end = stringEnd(text, i);
      if (typeof end !== 'number') return end;
      [i, state] = [end, 'colon'];
    } else if (state === 'colon') {
      if (c !== ':') return { offset: i, expected: "expected ':' after the property name" };
      [i, state] = [i + 1, 'value'];
    } else {
      if (top === undefined) return { offset: i, expected: 'expected the end of the file after the JSON value' };
      const close = top === '[' ? ']' : '}';
      if (c === ',') [i, state] = [i + 1, top === '[' ? 'value' : 'key'];
      else if (c === close) {
        open.pop();
        i++;
      } else return { offset: i, expected: `expected ',' or '${close}' after ${top === '[' ? 'an array element' : "a property's value"}` };
    }
  }
}

/** The offset after the string that opens at `start`, or where and why it is malformed. */
function stringEnd(text: string, start: number): number | { offset: number; expected: string } {
  for (let i = start + 1; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return { offset: i, expected: 'a control character (such as a line break or tab) inside a string: escape it (\\n, \\t)' };
    if (c !== 0x5c) {
      i++;
      continue;
    }
    ESCAPE.lastIndex = i;
    if (!ESCAPE.test(text)) return { offset: i, expected: 'an invalid escape in a string: use \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX' };
    i = ESCAPE.lastIndex;
  }
  return { offset: text.length, expected: 'the file ends inside a string (a closing " is missing)' };
}

/** The offset after the number or literal at `start`, or that no JSON value starts there. */
function scalarEnd(text: string, start: number): number | { offset: number; expected: string } {
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, start)) return start + literal.length;
  NUMBER.lastIndex = start;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  return { offset: start, expected: 'expected a JSON value (an object, array, string in double quotes, number, true, false or null)' };
}
