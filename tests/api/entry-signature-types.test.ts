// What a caller of `eventlake` or `eventlake/local` names when writing a call or an adapter of its own (a port's
// options and results, a function's options, an error's details) is exported by name: a type declared under domain,
// schemas or projections cannot be imported from anywhere else (deep imports are refused by the "exports" map).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { declaredTypes, namedTypes, unexported } from '../support/entry-signature-types.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'index.ts');
const LOCAL = join(ROOT, 'adapters/local/index.ts');
const AWS = join(ROOT, 'adapters/aws/index.ts');
const CORE = declaredTypes(['domain', 'schemas', 'projections'].map((d) => join(ROOT, d)));
// The ports and exported types are read too, and what they name in turn: a custom adapter implements a port whole.
const WHOLE = { typeExports: true, transitive: true };

const test = suite('eventlake: the types its exports name');

test('every type of domain, schemas or projections that an export of eventlake names, however deep, is exported by eventlake', () => {
  const named = namedTypes(MAIN, CORE, WHOLE);
  // The scan reads functions' options, ports' methods and what those name: else it would pass by finding nothing.
  assert.ok(named.some((n) => n.type === 'CheckOptions' && n.by === 'checkSchemaFolder'), 'a function\'s options');
  assert.ok(named.some((n) => n.type === 'ApplyOutcome' && n.by === 'ProjectionStore'), 'a port\'s result');
  assert.ok(named.some((n) => n.type === 'FindingRule' && n.by === 'SchemaFinding'), 'a type named by a named type');
  assert.equal(unexported(named, [MAIN]), []);
});

test('every type of domain, schemas or projections that an export of eventlake/local or eventlake/aws names is exported by eventlake', () => {
  for (const entry of [LOCAL, AWS]) assert.equal(unexported(namedTypes(entry, CORE, WHOLE), [MAIN]), [], entry);
});

test.run();
