// What every route of the HTTP API refuses in a query string: a parameter it does not know (with the closest one it
// does), and percent-encoding that is not UTF-8. Why: an ignored or mangled parameter answers wider than asked.

import { InvalidArgumentError } from '../domain/errors.ts';
import { closestKey } from '../domain/known-keys.ts';

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
    const guess = closestKey(name, known);
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
