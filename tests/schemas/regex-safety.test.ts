// A user schema's regex that a backtracking engine can take exponential time on (`^(a+)+$`: a 28-character Note held
// `serve` for 30 s) is refused at load and reported by `schemas check`, naming the file, the field's pointer and the
// pattern; common safe shapes still load.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { regexHazard } from '../../schemas/regex-safety.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';
import { thrown } from '../support/thrown.ts';

const test = suite('regex safety of schema patterns');
const GOOD = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/check/good/parcel_shipped.v1.json'), 'utf8')) as Record<string, unknown>;

/** A folder holding parcel_shipped v1 with its Note given `note` as its schema. */
function withNote(note: Record<string, unknown>): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'parcel_shipped.v1.json');
  writeFileSync(file, JSON.stringify({ ...GOOD, properties: { ...(GOOD['properties'] as object), Note: note } }));
  return { dir, file };
}

const NESTED = 'repeats (a+)+, a repeat inside a repeat with nothing between rounds that the inner one cannot match';

test('a nested repeat in a pattern is refused at load, naming the file, the pointer, the pattern and the fix', () => {
  const { dir, file } = withNote({ type: 'string', pattern: '^(a+)+$' });
  const error = thrown(() => SchemaRegistry.load({ folders: [dir], withoutBuiltins: true }), InvalidArgumentError);
  assert.ok(error.message.startsWith(`${file}: /properties/Note/pattern: pattern "^(a+)+$" ${NESTED}`), error.message);
  assert.match(error.message, 'repeat once (^(a+)+$ is ^a+$)');
});

test('schemas check reports it as a regex finding at the pattern', () => {
  const { dir, file } = withNote({ type: 'string', pattern: '^(a+)+$' });
  const findings = checkSchemaFolder(dir).findings;
  assert.equal(findings.map((f) => `${f.file} ${f.pointer} ${f.rule}`), [`${file} /properties/Note/pattern regex`]);
  assert.ok(findings[0]!.message.startsWith(`pattern "^(a+)+$" ${NESTED}`), findings[0]!.message);
});

test('a patternProperties key and a pattern deep in $defs and allOf are found too', () => {
  const { dir } = withNote({ type: 'object', patternProperties: { '^(\\w|\\d)+$': { type: 'string' } }, allOf: [{ $ref: '#/$defs/n' }] });
  const schema = JSON.parse(readFileSync(join(dir, 'parcel_shipped.v1.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'parcel_shipped.v1.json'), JSON.stringify({ ...schema, $defs: { n: { anyOf: [{ type: 'string', pattern: '(.*,)*x' }] } } }));
  assert.equal(checkSchemaFolder(dir).findings.map((f) => `${f.rule} ${f.pointer}`), ['regex /properties/Note/patternProperties/^(\\w|\\d)+$', 'regex /$defs/n/anyOf/0/pattern']);
});

test('repeated alternatives that can start with the same character are refused', () => {
  for (const pattern of ['(a|a)*', '^(\\w|\\d)+$', '^(ab|ac)*$']) assert.match(regexHazard(pattern) ?? 'safe', 'whose alternatives can start with the same character', pattern);
});

test('nested repeats without a separating character are refused, bounded or not', () => {
  for (const pattern of ['^(\\d+\\s?)+$', '^(a*)*$', '(a{1,2})*', '^([0-9]+|x)*$', '^(?:(?:a)+)+$', '(?:a+){2}']) assert.match(regexHazard(pattern) ?? 'safe', 'a repeat inside a repeat', pattern);
});

test('common safe shapes pass: a separator each round, fixed counts, disjoint alternatives', () => {
  for (const pattern of ['^[A-Z0-9-]{4,34}$', '^([a-z]+\\.)*[a-z]+$', '^[\\w.+-]+@([\\w-]+\\.)+[\\w-]{2,}$', '^(\\d{1,3}\\.){3}\\d{1,3}$', '^(?:[A-Z]{2})+$', '(a|b)*', '^\\d{4}-\\d{2}-\\d{2}$', '\\(a+\\)+']) {
    assert.is(regexHazard(pattern), undefined, pattern);
  }
});

test('a safe pattern still loads and checks clean', () => {
  const { dir } = withNote({ type: 'string', pattern: '^([a-z]+\\.)*[a-z]+$' });
  assert.equal(SchemaRegistry.load({ folders: [dir], withoutBuiltins: true }).types().map((t) => t.type), ['parcel_shipped']);
  assert.equal(checkSchemaFolder(dir).findings, []);
});

test('the built-in schemas hold no refused pattern', () => {
  assert.ok(SchemaRegistry.load().types().length > 0);
});

test.run();
