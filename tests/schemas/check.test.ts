import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import type { CheckOptions } from '../../schemas/check.ts';
import { BUILTIN_SCHEMAS_DIR, SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'check');
const registry = SchemaRegistry.load();
/** Check options backed by the registry, as the CLI builds them: the checked folder is not its own baseline. */
const withRegistry = (dir: string): CheckOptions => ({
  hasUpcaster: (t, v) => registry.hasUpcaster(t, v),
  previous: (t, v) => {
    const known = registry.types().some((x) => x.type === t && x.versions.includes(v)) && registry.entry(t, v).source !== dir;
    return known ? registry.entry(t, v).schema : undefined;
  },
});

/** `file#pointer rule` of every finding, in report order. */
function findings(folder: string, options: CheckOptions = {}): string[] {
  return checkSchemaFolder(folder, options).findings.map((f) => `${basename(f.file)}#${f.pointer} ${f.rule}`);
}
const fixture = (name: string) => join(FIXTURES, name);

const test = suite('schemas check');

test('the built-in schemas have no findings, since v1 → v2 of cash_withdrawal is upcast', () => {
  assert.equal(checkSchemaFolder(BUILTIN_SCHEMAS_DIR, withRegistry(BUILTIN_SCHEMAS_DIR)), { files: 6, findings: [] });
});

test('without its upcaster, the new required Channel of cash_withdrawal v2 is a breaking change', () => {
  assert.equal(findings(BUILTIN_SCHEMAS_DIR), ['cash_withdrawal.v2.json#/required/7 breaking-change']);
});

test('a folder of sound schemas with a compatible v2 has no findings', () => {
  assert.equal(checkSchemaFolder(fixture('good')), { files: 2, findings: [] });
});

test('a file not named <event_type>.v<N>.json is a finding', () => {
  assert.ok(findings(fixture('malformed')).includes('Parcel-Shipped.json# file-name'));
});

test('a file that is not JSON is a finding', () => {
  assert.ok(findings(fixture('malformed')).includes('broken.v1.json# json'));
});

test('a schema of another draft is a finding at /$schema', () => {
  assert.equal(findings(fixture('malformed')).filter((f) => f.startsWith('old_dialect')), ['old_dialect.v1.json#/$schema json-schema']);
});

test('a keyword with an invalid value is a finding at its pointer', () => {
  assert.equal(findings(fixture('malformed')).filter((f) => f.startsWith('bad_meta')), ['bad_meta.v1.json#/properties/Note/minLength json-schema']);
});

test('an unknown keyword (a typo such as "requried") is a finding', () => {
  const [found] = checkSchemaFolder(fixture('malformed')).findings.filter((f) => f.file.endsWith('unknown_keyword.v1.json'));
  assert.match(found?.message ?? '', 'unknown keyword: "requried"');
});

test('envelope fields must be present and required, with consts matching the file name', () => {
  assert.equal(findings(fixture('envelope')), [
    'bad_envelope.v1.json#/properties/RequestId envelope',
    'bad_envelope.v1.json#/required envelope',
    'bad_envelope.v1.json#/required envelope',
    'bad_envelope.v1.json#/properties/EventType/const envelope',
    'bad_envelope.v1.json#/properties/SchemaVersion/const envelope',
    'bad_envelope.v1.json#/properties/EventTimeStamp/type envelope',
  ]);
  const messages = checkSchemaFolder(fixture('envelope')).findings.map((f) => f.message).join('\n');
  assert.match(messages, 'RequestId is not required');
  assert.match(messages, 'EventTimeStamp is not required');
});

test('an event schema must be a closed object', () => {
  const found = findings(fixture('open'));
  assert.ok(found.includes('open_event.v1.json#/type closed'));
  assert.ok(found.includes('open_event.v1.json#/additionalProperties closed'));
});

const breaking = () => checkSchemaFolder(fixture('breaking')).findings;

test('a removed required field is a breaking change', () => {
  assert.equal(breaking().filter((f) => f.file.endsWith('v2.json')).map((f) => [f.pointer, f.message.split(':')[0]]), [['/properties/Weight', 'v1 → v2']]);
  assert.match(breaking()[0]!.message, 'the required field Weight was removed');
});

test('a renamed field is one breaking change naming both names', () => {
  const v3 = breaking().filter((f) => f.file.endsWith('v3.json'));
  assert.equal(v3.map((f) => f.pointer), ['/properties/Destination']);
  assert.match(v3[0]!.message, 'Destination was renamed to DestinationCode');
});

test('a narrowed type, a lost enum value and a lowered bound are breaking changes', () => {
  assert.equal(breaking().filter((f) => f.file.endsWith('v4.json')).map((f) => f.pointer).sort(), ['/properties/Count/type', '/properties/DestinationCode/maxLength', '/properties/Mode/enum']);
});

test('a new required field is a breaking change, with the upcaster to register named', () => {
  const v5 = breaking().filter((f) => f.file.endsWith('v5.json'));
  assert.equal(v5.map((f) => f.pointer), ['/required/6']);
  assert.match(v5[0]!.message, "registry.addUpcaster('shipment', 4, fn)");
});

test('an upcaster covers the breaking changes of its own step only', () => {
  const found = findings(fixture('breaking'), { hasUpcaster: (t, v) => t === 'shipment' && v === 4 });
  assert.ok(found.length === 5 && !found.some((f) => f.startsWith('shipment.v5')));
});

test('a version without its predecessor is a finding', () => {
  assert.equal(findings(fixture('gap')), ['gappy.v3.json#/properties/SchemaVersion/const version-gap']);
});

test('a folder\'s first version is compared with the loaded previous version, e.g. a built-in', () => {
  const dir = tempDir();
  const v3 = JSON.parse(readFileSync(join(BUILTIN_SCHEMAS_DIR, 'cash_withdrawal.v2.json'), 'utf8')) as { $id: string; properties: Record<string, unknown> };
  v3.$id = v3.$id.replace('v2', 'v3');
  v3.properties['SchemaVersion'] = { const: 3 };
  delete v3.properties['Reference'];
  writeFileSync(join(dir, 'cash_withdrawal.v3.json'), JSON.stringify(v3));
  // And, by default, a v3 newer than the built-in rules were written for (builtin-rule: check-builtin-rule-default.test.ts).
  assert.equal(findings(dir, withRegistry(dir)), ['cash_withdrawal.v3.json#/properties/Reference breaking-change', 'cash_withdrawal.v3.json# builtin-rule']);
  // Without `previous`, the built-ins are the baseline (check-builtin-baseline.test.ts): the same findings.
  assert.equal(findings(dir), ['cash_withdrawal.v3.json#/properties/Reference breaking-change', 'cash_withdrawal.v3.json# builtin-rule']);
});

test('a type and version already loaded elsewhere is a duplicate', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'cash_deposit.v1.json'), readFileSync(join(BUILTIN_SCHEMAS_DIR, 'cash_deposit.v1.json')));
  assert.equal(findings(dir, withRegistry(dir)), ['cash_deposit.v1.json# duplicate']);
});

test('a folder that cannot be read is an InvalidArgumentError', () => {
  assert.throws(() => checkSchemaFolder(join(FIXTURES, 'no-such-folder')), (e: unknown) => e instanceof InvalidArgumentError);
});

test.run();
