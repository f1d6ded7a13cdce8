// The matchers of EventBridge event patterns (prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric,
// cidr, exists), each compiled into a test of a field's leaf values; event-pattern.ts combines them into a pattern.

import { InvalidArgumentError } from '../../domain/errors.ts';

export type Leaf = string | number | boolean | null;
/** One matcher of a field's array, tested against the field's leaf values (empty when absent). */
export type LeafTest = (leaves: readonly Leaf[]) => boolean;
type Check = (value: Leaf) => boolean;

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
export const isLeaf = (v: unknown): v is Leaf => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A malformed pattern: the InvalidArgumentError names the pattern's field at `path`. */
export function bad(path: string, message: string): never {
  throw new InvalidArgumentError('pattern', `${path || '(pattern)'}: ${message}`);
}

export const someLeaf = (check: Check): LeafTest => (leaves) => leaves.some(check);
const str = (check: (s: string) => boolean): Check => (v) => typeof v === 'string' && check(v);
const lower = (s: string): string => s.toLowerCase();

function text(value: unknown, path: string, op: string): string {
  if (typeof value !== 'string') bad(path, `"${op}" takes a string`);
  return value;
}

/** `prefix`/`suffix` take a string or `{ "equals-ignore-case": string }`. */
function affix(value: unknown, path: string, op: 'prefix' | 'suffix'): (s: string) => boolean {
  const at = op === 'prefix' ? (s: string, p: string) => s.startsWith(p) : (s: string, p: string) => s.endsWith(p);
  if (isObject(value) && Object.keys(value).length === 1 && 'equals-ignore-case' in value) {
    const p = lower(text(value['equals-ignore-case'], path, `${op}.equals-ignore-case`));
    return (s) => at(lower(s), p);
  }
  const p = text(value, path, op);
  return (s) => at(s, p);
}

/** Wildcard: `*` is any run of characters; `\*` is a literal star and `\\` a literal backslash. */
export function wildcardRegExp(pattern: string, path = ''): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[++i];
      if (next !== '*' && next !== '\\') bad(path, `wildcard "${pattern}" escapes something other than * or \\`);
      source += `\\${next}`;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') bad(path, `wildcard "${pattern}" has consecutive wildcard characters`);
      source += '.*';
    } else {
      source += c.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function strings(value: unknown, path: string, op: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((s) => typeof s === 'string')) bad(path, `"${op}" takes a string or a list of strings`);
  return list as string[];
}

const NUMERIC_OPS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b, '<=': (a, b) => a <= b, '=': (a, b) => a === b, '>': (a, b) => a > b, '>=': (a, b) => a >= b,
};

function numeric(spec: unknown, path: string): Check {
  if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2 !== 0 || spec.length > 4) bad(path, '"numeric" takes [op, number] or [op, number, op, number]');
  const parts: [(a: number, b: number) => boolean, number][] = [];
  for (let i = 0; i < spec.length; i += 2) {
    const op = NUMERIC_OPS[String(spec[i])];
    const n = spec[i + 1];
    if (!op || typeof n !== 'number' || !Number.isFinite(n)) bad(path, `"numeric" has a bad comparison ${JSON.stringify(spec.slice(i, i + 2))}`);
    parts.push([op, n]);
  }
  return (v) => typeof v === 'number' && parts.every(([op, n]) => op(v, n));
}

function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes.reduce((a, b) => a * 256 + b, 0) : undefined;
}

function cidr(value: unknown, path: string): Check {
  const [net, bits] = text(value, path, 'cidr').split('/');
  const base = ipv4(net ?? '');
  const size = Number(bits);
  if (base === undefined || !Number.isInteger(size) || size < 0 || size > 32) bad(path, `"cidr" takes an IPv4 block such as "10.0.0.0/24" (IPv6 is not supported locally)`);
  const span = 2 ** (32 - size);
  return str((s) => {
    const ip = ipv4(s);
    return ip !== undefined && Math.floor(ip / span) === Math.floor(base / span);
  });
}

/** `anything-but`: a value, a list of strings or numbers, or `{ prefix | suffix | equals-ignore-case | wildcard }`. */
function anythingBut(value: unknown, path: string): Check {
  if (isObject(value)) {
    const [op, ...more] = Object.keys(value);
    if (op === undefined || more.length > 0) bad(path, '"anything-but" takes one operator');
    const arg = value[op];
    if (op === 'prefix') { const p = text(arg, path, 'anything-but.prefix'); return str((s) => !s.startsWith(p)); }
    if (op === 'suffix') { const p = text(arg, path, 'anything-but.suffix'); return str((s) => !s.endsWith(p)); }
    if (op === 'equals-ignore-case') {
      const set = new Set(strings(arg, path, 'anything-but.equals-ignore-case').map(lower));
      return str((s) => !set.has(lower(s)));
    }
    if (op === 'wildcard') {
      const res = strings(arg, path, 'anything-but.wildcard').map((w) => wildcardRegExp(w, path));
      return str((s) => !res.some((re) => re.test(s)));
    }
    bad(path, `"anything-but" does not support "${op}"`);
  }
  const list = Array.isArray(value) ? value : [value];
  const allStrings = list.every((x) => typeof x === 'string');
  const allNumbers = list.every((x) => typeof x === 'number');
  if (list.length === 0 || !(allStrings || allNumbers)) bad(path, '"anything-but" takes a string, a number, or a list of only strings or only numbers');
  const set = new Set<unknown>(list);
  return (v) => !set.has(v);
}

/** One matcher object (`{ "<operator>": argument }`) of a field's array, compiled. */
export function operator(m: Record<string, unknown>, path: string): LeafTest {
  const [op, ...more] = Object.keys(m);
  if (op === undefined || more.length > 0) bad(path, `a matcher object has exactly one operator, got ${JSON.stringify(m)}`);
  const arg = m[op];
  switch (op) {
    case 'exists':
      if (typeof arg !== 'boolean') bad(path, '"exists" takes true or false');
      return (leaves) => (leaves.length > 0) === arg;
    case 'prefix': case 'suffix': return someLeaf(str(affix(arg, path, op)));
    case 'equals-ignore-case': { const want = lower(text(arg, path, op)); return someLeaf(str((s) => lower(s) === want)); }
    case 'wildcard': { const re = wildcardRegExp(text(arg, path, op), path); return someLeaf(str((s) => re.test(s))); }
    case 'anything-but': return someLeaf(anythingBut(arg, path));
    case 'numeric': return someLeaf(numeric(arg, path));
    case 'cidr': return someLeaf(cidr(arg, path));
    default: return bad(path, `unknown operator "${op}"`);
  }
}
