// Patterns that make a backtracking regex engine take exponential time on a value that fails to match: one user
// schema with `"pattern": "^(a+)+$"` let a 28-character Note hold `serve` for 30 s. V8's engine cannot be told to
// stop, so such a pattern is found by its shape before it is ever run (a heuristic in the spirit of safe-regex's
// star height, narrowed so that common safe shapes such as `^([a-z]+\.)*[a-z]+$` pass).

import { MAX_GROUP_DEPTH, parseRegex, type RegexNode } from './regex-shape.ts';

type Group = Extract<RegexNode, { kind: 'group' }>;
type Repeat = Extract<RegexNode, { kind: 'repeat' }>;

/**
 * Characters that stand for all others when comparing what two parts of a pattern match: ASCII, and one of each kind
 * of non-ASCII character a class or escape tells apart (letter, CJK, spaces, line separators, an astral symbol).
 */
const SAMPLES = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), 'é', 'ß', 'Ж', '中', '\u00a0', '\u2028', '\u3000', '😀'];
const EVERY = new Set(SAMPLES.keys());
const matched = new Map<string, ReadonlySet<number>>();

/**
 * Why `source` can take exponential time, or undefined when its shape is safe. Two shapes are refused, each under a
 * repeat: a repeat of variable length inside it with no character between rounds that the inner repeat cannot match
 * (`(a+)+`, `(\d+\s?)*`, `(.*,)*`), and alternatives that can start with the same character (`(a|a)*`, `(\w|\d)+`).
 *
 * @example
 * regexHazard('^(a+)+$'); // 'repeats (a+)+, a repeat inside a repeat with nothing between rounds …'
 * regexHazard('^([a-z]+\\.)*[a-z]+$'); // undefined: every round ends with a '.' that [a-z]+ cannot take
 */
export function regexHazard(source: string): string | undefined {
  const root = parseRegex(source);
  if (root === undefined) return `nests groups deeper than ${MAX_GROUP_DEPTH}: simplify it`;
  return hazardIn(root, source);
}

function hazardIn(node: RegexNode, source: string): string | undefined {
  if (node.kind === 'group') {
    for (const sequence of node.alternatives) for (const child of sequence) {
      const found = hazardIn(child, source);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (node.kind !== 'repeat') return undefined;
  const part = source.slice(node.start, node.end);
  if (node.max >= 2 && node.node.kind === 'group' && !node.node.zeroWidth) {
    if (node.node.alternatives.some((sequence) => !separated(sequence, node))) {
      return `repeats ${part}, a repeat inside a repeat with nothing between rounds that the inner one cannot match, so a value that fails ` +
        'can be split between the rounds in exponentially many ways: repeat once (^(a+)+$ is ^a+$), or end each round with a character ' +
        'the inner repeat cannot take (^([a-z]+\\.)*[a-z]+$)';
    }
    if (node.max === Infinity && overlapping(node.node)) {
      return `repeats ${part}, whose alternatives can start with the same character, so a value that fails can be matched by the ` +
        'alternatives in exponentially many ways: make each alternative start differently ((\\w|\\d)+ is \\w+, (ab|ac)* is (a[bc])*)';
    }
  }
  return hazardIn(node.node, source);
}

/**
 * Whether the rounds of `outer` over `sequence` cannot be split in more ways than one: the sequence holds no inner
 * repeat of variable length that would multiply the ways (bounded ones only under a bounded `outer`), or it holds a
 * character of its own, outside every repeat, that none of those inner repeats can match.
 */
function separated(sequence: readonly RegexNode[], outer: Repeat): boolean {
  const inner = variableRepeats(sequence).filter((r) => outer.max === Infinity || r.max === Infinity);
  if (inner.length === 0) return true;
  const taken = union(inner.map((r) => charsOf(r.node)));
  return flatten(sequence).some((n) => n.kind === 'atom' && disjoint(atomSet(n.source), taken));
}

/** Whether two alternatives of `group` can start with the same character. */
function overlapping(group: Group): boolean {
  const firsts = group.alternatives.map((sequence) => firstOf(flatten(sequence)));
  return firsts.some((a, i) => firsts.slice(i + 1).some((b) => !disjoint(a, b)));
}

function variableRepeats(sequence: readonly RegexNode[]): Repeat[] {
  return sequence.flatMap((n): Repeat[] => {
    if (n.kind === 'group') return n.zeroWidth ? [] : n.alternatives.flatMap(variableRepeats);
    if (n.kind === 'repeat') return [...(n.min !== n.max ? [n] : []), ...variableRepeats([n.node])];
    return [];
  });
}

/** `sequence` with each plain group of one alternative replaced by its contents, so `(?:[a-z]+\.)` shows its `.`. */
function flatten(sequence: readonly RegexNode[]): RegexNode[] {
  return sequence.flatMap((n) => (n.kind === 'group' && !n.zeroWidth && n.alternatives.length === 1 ? flatten(n.alternatives[0]!) : [n]));
}

/** The characters a sequence's first character can be. */
function firstOf(sequence: readonly RegexNode[]): Set<number> {
  const first = new Set<number>();
  for (const n of sequence) {
    for (const c of startOf(n)) first.add(c);
    if (!nullable(n)) break;
  }
  return first;
}

function startOf(n: RegexNode): Set<number> {
  if (n.kind === 'atom') return new Set(atomSet(n.source));
  if (n.kind === 'repeat') return startOf(n.node);
  if (n.kind === 'group' && !n.zeroWidth) return union(n.alternatives.map(firstOf));
  return new Set();
}

function nullable(n: RegexNode): boolean {
  if (n.kind === 'atom') return false;
  if (n.kind === 'repeat') return n.min === 0 || nullable(n.node);
  if (n.kind === 'group' && !n.zeroWidth) return n.alternatives.some((s) => s.every(nullable));
  return true;
}

function charsOf(n: RegexNode): Set<number> {
  if (n.kind === 'atom') return new Set(atomSet(n.source));
  if (n.kind === 'repeat') return charsOf(n.node);
  if (n.kind === 'group' && !n.zeroWidth) return union(n.alternatives.flatMap((s) => s.map(charsOf)));
  return new Set();
}

/** The samples one atom matches; a backreference (or anything that does not compile alone) may match any. */
function atomSet(source: string): ReadonlySet<number> {
  let set = matched.get(source);
  if (set === undefined) {
    try {
      const alone = new RegExp(`^(?:${source})$`, 'u');
      set = new Set([...SAMPLES.keys()].filter((i) => alone.test(SAMPLES[i]!)));
    } catch {
      set = EVERY;
    }
    if (/^\\([1-9]|k<)/.test(source)) set = EVERY;
    matched.set(source, set);
  }
  return set;
}

function union(sets: readonly ReadonlySet<number>[]): Set<number> {
  const all = new Set<number>();
  for (const s of sets) for (const c of s) all.add(c);
  return all;
}

function disjoint(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  for (const c of a) if (b.has(c)) return false;
  return true;
}
