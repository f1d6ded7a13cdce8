// The shape of a JSON Schema `pattern` (a JavaScript regex in unicode mode, as ajv compiles it): groups, alternatives,
// repeats and single-character atoms, enough for regex-safety.ts to spot backtracking blow-ups. Not a validator:
// ajv compiles the pattern and reports its syntax errors.

/** One node of a pattern: `start`/`end` are its offsets in the source, to quote the part at fault. */
export type RegexNode =
  /** One character: a literal, an escape (`\d`, `\u0041`), a class (`[a-z]`), `.`, or a backreference (`\1`). */
  | { readonly kind: 'atom'; readonly source: string; readonly start: number; readonly end: number }
  /** `(…|…)`; a lookaround is `zeroWidth`: it consumes nothing. */
  | { readonly kind: 'group'; readonly alternatives: RegexNode[][]; readonly zeroWidth: boolean; readonly start: number; end: number }
  | { readonly kind: 'repeat'; readonly node: RegexNode; readonly min: number; readonly max: number; readonly start: number; readonly end: number }
  /** `^`, `$`, `\b`, `\B`. */
  | { readonly kind: 'assertion'; readonly start: number; readonly end: number };

type Group = Extract<RegexNode, { kind: 'group' }>;

/** Groups nested deeper than this are refused by the safety check: the analysis recurses, and no real pattern nests so. */
export const MAX_GROUP_DEPTH = 64;

const QUANTIFIER = /\*|\+|\?|\{([0-9]+)(,([0-9]*))?\}/y;
const ESCAPE = /\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|[pP]\{[^}]*\}|k<[^>]*>|[1-9][0-9]*|[^])/y;
const CLASS = /\[(?:\\[^]|[^\]\\])*\]/y;
const GROUP_OPEN = /\((?:\?(?::|=|!|<=|<!|<[^>=!][^>]*>))?/y;

/** The pattern as one group of alternatives, or undefined when it nests groups deeper than MAX_GROUP_DEPTH. */
export function parseRegex(source: string): Group | undefined {
  const root: Group = { kind: 'group', alternatives: [[]], zeroWidth: false, start: 0, end: source.length };
  const open: Group[] = [root];
  for (let i = 0; i < source.length;) {
    const group = open[open.length - 1]!;
    const sequence = group.alternatives[group.alternatives.length - 1]!;
    const c = source[i]!;
    const token = (pattern: RegExp): string | undefined => {
      pattern.lastIndex = i;
      return pattern.exec(source)?.[0];
    };
    const quantifier = token(QUANTIFIER);
    const last = sequence[sequence.length - 1];
    if (quantifier !== undefined && last !== undefined && last.kind !== 'assertion') {
      const end = i + quantifier.length + (source[i + quantifier.length] === '?' ? 1 : 0);
      sequence[sequence.length - 1] = { kind: 'repeat', node: last, ...bounds(quantifier), start: last.start, end };
      i = end;
    } else if (c === '(') {
      const opener = token(GROUP_OPEN) ?? '(';
      const child: Group = { kind: 'group', alternatives: [[]], zeroWidth: /^\(\?(=|!|<=|<!)/.test(opener), start: i, end: i };
      sequence.push(child);
      open.push(child);
      if (open.length > MAX_GROUP_DEPTH) return undefined;
      i += opener.length;
    } else if (c === ')' && open.length > 1) {
      open.pop();
      group.end = ++i;
    } else if (c === '|') {
      group.alternatives.push([]);
      i++;
    } else {
      const text = c === '\\' ? token(ESCAPE) ?? c : c === '[' ? token(CLASS) ?? c : String.fromCodePoint(source.codePointAt(i)!);
      const zero = c === '^' || c === '$' || text === '\\b' || text === '\\B';
      sequence.push(zero ? { kind: 'assertion', start: i, end: i + text.length } : { kind: 'atom', source: text, start: i, end: i + text.length });
      i += text.length;
    }
  }
  return root;
}

function bounds(quantifier: string): { min: number; max: number } {
  if (quantifier === '*') return { min: 0, max: Infinity };
  if (quantifier === '+') return { min: 1, max: Infinity };
  if (quantifier === '?') return { min: 0, max: 1 };
  const [, min, comma, max] = /^\{([0-9]+)(,([0-9]*))?\}$/.exec(quantifier)!;
  return { min: Number(min), max: comma === undefined ? Number(min) : max === '' || max === undefined ? Infinity : Number(max) };
}
