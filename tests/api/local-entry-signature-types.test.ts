// What a caller of `eventlake/local` names when it calls the local adapters (a check's report, a journal reader, an
// engine loader) is exported by eventlake/local: a type declared under adapters/local cannot be imported from anywhere
// else (deep imports are refused by the "exports" map).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { declaredTypes, namedTypes, unexported } from '../support/entry-signature-types.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LOCAL = join(ROOT, 'adapters/local/index.ts');
const ADAPTERS = declaredTypes([join(ROOT, 'adapters/local')]);

const test = suite('eventlake/local: the types its exports name');

test('every type of adapters/local that an export of eventlake/local names, however deep, is exported by eventlake/local', () => {
  const named = namedTypes(LOCAL, ADAPTERS, { typeExports: true, transitive: true });
  // The scan reads a function's report and what that names in turn: else it would pass by finding nothing.
  assert.ok(named.some((n) => n.type === 'LogCheckReport' && n.by === 'checkLog'), 'a function\'s result');
  assert.equal(unexported(named, [LOCAL]), []);
});

test.run();
