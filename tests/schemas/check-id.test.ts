// `schemas check` and `$id`: the registry ignores it (ajv compiles each schema without it), but editors, $ref
// resolution and generated types go by it, so a v2 copied from v1 that still says v1 (or two files sharing one $id)
// is a finding, not a silent pass.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { tempDir } from '../support/tmp.ts';

const GOOD = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'check', 'good');

/** The `good` fixture (parcel_shipped v1 and a compatible v2) with the given `$id` per version. */
function withIds(v1: string, v2: string): string {
  const dir = tempDir();
  for (const [version, id] of [[1, v1], [2, v2]] as const) {
    const name = `parcel_shipped.v${version}.json`;
    const schema = JSON.parse(readFileSync(join(GOOD, name), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, name), JSON.stringify({ $id: id, ...schema }, null, 2));
  }
  return dir;
}
const findings = (dir: string) => checkSchemaFolder(dir).findings.map((f) => `${basename(f.file)}#${f.pointer} ${f.rule}: ${f.message}`);

const test = suite('schemas check: $id');

test('an $id naming each file\'s own version is no finding', () => {
  assert.equal(findings(withIds('https://example.com/schemas/parcel_shipped/v1.json', 'https://example.com/schemas/parcel_shipped/v2.json')), []);
});

test('a v2 whose $id still names v1 (copied from it) is a finding at /$id naming both', () => {
  assert.equal(findings(withIds('https://example.com/schemas/parcel_shipped/v1.json', 'https://example.com/schemas/parcel_shipped/v1.json')), [
    'parcel_shipped.v2.json#/$id id: "https://example.com/schemas/parcel_shipped/v1.json" names v1 but the file is v2; give each version its own $id, e.g. https://example.com/schemas/parcel_shipped/v2.json',
  ]);
});

test('two files with one $id is a finding on the second, naming the first', () => {
  assert.equal(findings(withIds('urn:example:parcel', 'urn:example:parcel')), [
    'parcel_shipped.v2.json#/$id id: "urn:example:parcel" is also the $id of parcel_shipped.v1.json; give each version its own $id',
  ]);
});

test.run();
