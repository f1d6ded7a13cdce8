// What every route of the HTTP API refuses in a query string: a parameter it does not know (with the closest one it
// does), and percent-encoding that is not UTF-8. Why: an ignored or mangled parameter answers wider than asked.

import { InvalidArgumentError } from '../domain/errors.ts';

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

/** The known parameter `name` is most likely a slip for, if any is close (case aside, at most a third of it apart). */
function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const ranked = known.map((k) => ({ k, d: distance(lower, k) })).sort((x, y) => x.d - y.d);
  const best = ranked[0];
  return best && best.d <= Math.max(1, Math.floor(best.k.length / 3)) ? best.k : undefined;
}

/**
 * Refuse (`InvalidArgumentError` naming it) the first parameter of `query` that `route` (`GET /events`) does not take,
 * with the closest one it does, or `hint` (what to do instead) when it takes none.
 *
 * @example
 * refuseUnknownParams(request.query as Record<string, unknown>, 'GET /health', []);
 */
export function refuseUnknownParams(query: Record<string, unknown>, route: string, known: readonly string[], hint = ''): void {
  for (const name of Object.keys(query)) {
    if (known.includes(name)) continue;
    const guess = closest(name, known);
    const takes = known.length > 0 ? `the parameters are ${known.join(', ')}` : `it takes none${hint}`;
    throw new InvalidArgumentError(name, `is not a parameter of ${route}${guess ? ` (did you mean ${guess}?)` : ''}: ${takes}`);
  }
}

/** Decode one name or value of a query string as a form does (`+` is a space), or undefined when it is not UTF-8. */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Refuse (`InvalidArgumentError` naming the parameter) a query string whose percent-encoding is malformed or not of
 * UTF-8 text (`account=%FF`). Why: Fastify's parser leaves such a value as it came, which then matched nothing and
 * answered 200 with no events, while the same bytes in a path are refused.
 */
export function refuseBadPercentEncoding(url: string): void {
  const start = url.indexOf('?');
  if (start < 0) return;
  for (const part of url.slice(start + 1).split('&')) {
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const name = decoded(rawName);
    if (name === undefined) throw new InvalidArgumentError(rawName, 'is not valid percent-encoding of UTF-8 text: percent-encode parameter names and values (encodeURIComponent)');
    if (eq >= 0 && decoded(part.slice(eq + 1)) === undefined) {
      throw new InvalidArgumentError(name, `${part.slice(eq + 1)} is not valid percent-encoding of UTF-8 text: percent-encode the value (encodeURIComponent)`);
    }
  }
}
