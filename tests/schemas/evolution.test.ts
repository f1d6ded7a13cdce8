// A schema version that breaks the one before it needs an upcaster: the registry refuses to be used without one (as
// `schemas check` reports it), since older events would otherwise reach projections in a shape nothing promises.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaEvolutionError } from '../../domain/errors.ts';
import { prepareEvents } from '../../projections/eventlake.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { parcelReturned, REASON_UNKNOWN, returned } from './evolution-fixture.ts';

const BREAKING = fileURLToPath(new URL('./fixtures/check/breaking', import.meta.url));
const refused = (fn: () => unknown): SchemaEvolutionError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SchemaEvolutionError) return error;
    throw error;
  }
  return assert.unreachable('expected a SchemaEvolutionError, nothing was thrown') as never;
};

const test = suite('schema evolution at load');

test('a v2 that requires a new field, without an upcaster from v1, is a SCHEMA_EVOLUTION error naming the type, both versions, the file, the change and the fix', () => {
  const { dir, v2 } = parcelReturned('required');
  const error = refused(() => SchemaRegistry.load({ folders: [dir] }).assertEvolvable());
  assert.is(error.code, 'SCHEMA_EVOLUTION');
  assert.equal(error.findings.map((f) => [f.type, f.fromVersion, f.file, f.pointer]), [['parcel_returned', 1, v2, '/required/5']]);
  for (const part of ['parcel_returned', 'v1 → v2', v2, 'the new field Reason is required', 'upcaster from v1', 'extensions module', 'non-breaking']) assert.match(error.message, part);
});

test('an upcaster from v1 added after load covers the breaking v2', () => {
  const registry = SchemaRegistry.load({ folders: [parcelReturned('required').dir] });
  registry.addUpcaster('parcel_returned', 1, REASON_UNKNOWN);
  registry.assertEvolvable();
});

test('an upcaster given to load covers the breaking v2 as one added afterwards does', () => {
  const registry = SchemaRegistry.load({ folders: [parcelReturned('required').dir], upcasters: [{ type: 'parcel_returned', fromVersion: 1, upcast: REASON_UNKNOWN }] });
  registry.assertEvolvable();
  assert.ok(registry.hasUpcaster('parcel_returned', 1));
});

test('a v2 that only adds an optional field needs no upcaster', () => {
  SchemaRegistry.load({ folders: [parcelReturned('optional').dir] }).assertEvolvable();
});

test('the built-in schemas load with their built-in upcasters (cash_withdrawal v1 → v2)', () => {
  SchemaRegistry.load().assertEvolvable();
});

test('the first validate() checks, so an event is refused while a breaking change is uncovered', () => {
  const registry = SchemaRegistry.load({ folders: [parcelReturned('required').dir] });
  refused(() => registry.validate(returned(2)));
});

test('the first upcast() checks, so replay never reads an older event through a missing step', () => {
  const registry = SchemaRegistry.load({ folders: [parcelReturned('required').dir] });
  refused(() => registry.upcast(returned(1)));
});

test('a schema added after a passing check is checked again at the next use', () => {
  const { dir } = parcelReturned('optional');
  const registry = SchemaRegistry.load({ folders: [dir] });
  registry.validate(returned(2));
  const v3 = JSON.parse(JSON.stringify(registry.entry('parcel_returned', 2).schema)) as { properties: Record<string, unknown>; required: string[] };
  v3.properties['SchemaVersion'] = { const: 3 };
  v3.required.push('Reason');
  writeFileSync(join(dir, 'parcel_returned.v3.json'), JSON.stringify(v3));
  registry.add(join(dir, 'parcel_returned.v3.json'));
  refused(() => registry.validate(returned(2)));
});

test('the load check and `schemas check` report the same breaking changes, finding for finding', () => {
  const error = refused(() => SchemaRegistry.load({ folders: [BREAKING], withoutBuiltins: true }).assertEvolvable());
  const checked = checkSchemaFolder(BREAKING).findings.filter((f) => f.rule === 'breaking-change');
  assert.ok(checked.length >= 5);
  assert.equal(error.findings.map((f) => ({ file: f.file, pointer: f.pointer, message: f.message })), checked.map((f) => ({ file: f.file, pointer: f.pointer, message: f.message })));
});

test('an upcaster leaves out the findings of its own step in both, and only those', () => {
  const registry = SchemaRegistry.load({ folders: [BREAKING], withoutBuiltins: true });
  registry.addUpcaster('shipment', 4, (e) => ({ ...e, Insured: false }));
  const error = refused(() => registry.assertEvolvable());
  const checked = checkSchemaFolder(BREAKING, { hasUpcaster: (t, v) => t === 'shipment' && v === 4 }).findings.filter((f) => f.rule === 'breaking-change');
  assert.equal(error.findings.map((f) => f.pointer), checked.map((f) => f.pointer));
  assert.not.ok(error.findings.some((f) => f.fromVersion === 4));
});

test('emit through a registry loaded by hand refuses an uncovered breaking change once, as SCHEMA_EVOLUTION, not as one batch failure per event', () => {
  const registry = SchemaRegistry.load({ folders: [parcelReturned('required').dir] });
  const error = refused(() => prepareEvents(registry, [returned(2), returned(2)]));
  assert.equal(error.findings.map((f) => f.type), ['parcel_returned']);
});

test.run();
