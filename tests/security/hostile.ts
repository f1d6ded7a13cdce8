// Hostile and malformed inputs for the security tests: strings that attack paths, SQL and parsers, mutations of
// valid events, and a data-dir listing to prove that a rejected input wrote nothing.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SAMPLES } from '../support/samples.ts';

/** Strings that try to escape a folder, end a SQL literal, smuggle NULs or overflow a name. */
export const HOSTILE_STRINGS: readonly string[] = [
  '../', '../../etc/passwd', '..\\..\\windows', '/etc/passwd', 'a/../../b', './.', '..', '.', '%2e%2e%2f', '..%00/',
  'x\u0000y', '\u0000', 'a\nb', 'a\tb', '\r\n', 'CON', 'events/../../x', '~/.ssh', '$(rm -rf /)', '`id`',
  "'; DROP TABLE events; --", "' OR '1'='1", "x') OR 1=1 --", '" OR ""="', "'; ATTACH '/tmp/x.db' AS x; --",
  '%', '_', '*', '\\', "\\' OR 1=1", "' UNION SELECT * FROM read_text('/etc/passwd') --", ',', ' , ', '),(',
  'a'.repeat(300), 'é'.repeat(200), '\u202e\u0000', '\ud800', '𝕏'.repeat(70), '{"$gt":""}', '__proto__', 'constructor',
];

/** A hostile string: one of the list, or a random one from any Unicode plane. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 300 }));

/** A value a JSON body could hold, or worse (for the in-process facade: -0, NaN, undefined, nested oddities). */
export const anyValue = (): fc.Arbitrary<unknown> => fc.oneof(fc.jsonValue(), fc.anything({ maxDepth: 3 }), hostileString(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, 2 ** 53 + 1, -1));

const FIELDS = ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', 'TargetAccount', 'SourceAccount', 'Amount', 'Currency', 'Reference', 'LocationType', 'Verified'];

/** A valid sample with 1-4 mutations: a field removed, replaced by a hostile or arbitrary value, or a field added. */
export const mutatedEvent = (): fc.Arbitrary<Record<string, unknown>> =>
  fc.tuple(
    fc.constantFrom(...Object.keys(SAMPLES)),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 20 })), fc.oneof(anyValue(), fc.constant(undefined))), { minLength: 1, maxLength: 4 }),
  ).map(([type, changes]) => {
    const out: Record<string, unknown> = { ...SAMPLES[type] };
    for (const [field, value] of changes) {
      if (value === undefined) delete out[field];
      else Object.defineProperty(out, field, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });

/** Text that is almost JSON or NDJSON: valid documents cut, spliced, or mixed with junk lines. */
export const malformedText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.tuple(fc.json(), fc.nat()).map(([json, cut]) => json.slice(0, cut % (json.length + 1))),
    fc.array(fc.oneof(fc.json(), hostileString(), fc.constant(JSON.stringify(SAMPLES['cash_deposit']))), { maxLength: 5 }).map((lines) => lines.join('\n')),
    fc.constantFrom('{', '[', '[{}', '{"EventType":', '\u0000', '\ufeff{}', '[]', '[[]]', 'null', '1e999', '"x"', '{"a":1}{"b":2}'),
  );

/** Every file and folder under `dir` with its size and modification time: equal listings mean nothing was written. */
export function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      // A `-shm` file is SQLite's shared-memory WAL index, written through mmap: the kernel updates its mtime whenever
      // it gets to it, after the transaction that dirtied it. It holds no data, so only its presence counts.
      if (name.endsWith('-shm')) out.push(`${p}:shm`);
      else out.push(`${p}:${s.isDirectory() ? 'dir' : s.size}:${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}
