// `schemas check` reports a field spelt like a column of `events` but for case: DuckDB's read_json matches JSON keys
// by exact name (so eventlake query reads NULL) while Athena's OpenX SerDe ignores case (so Athena reads the value).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { tempDir } from '../support/tmp.ts';

/** A lint-clean schema of `type` v1 with `fields` beside the envelope. */
function schema(type: string, fields: Record<string, unknown>): string {
  return JSON.stringify({
    $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false,
    required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'],
    properties: { EventType: { const: type }, SchemaVersion: { const: 1 }, RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer' }, ...fields },
  });
}

function columnFindings(files: Record<string, string>): string[] {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return checkSchemaFolder(dir).findings.filter((f) => f.rule === 'column').map((f) => `${basename(f.file)}#${f.pointer}: ${f.message}`);
}

const test = suite('schemas check: column names that differ only in case');

test('a field named like a built-in column but for case is a column finding naming both names and the fix', () => {
  const found = columnFindings({ 'card_fee.v1.json': schema('card_fee', { amount: { type: 'string' } }) });
  assert.equal(found.length, 1);
  assert.match(found[0]!, 'card_fee.v1.json#/properties/amount: "amount" differs only in case from the built-in column Amount');
  assert.match(found[0]!, 'reads NULL there, while Athena reads it: use the exact name Amount, or another name');
});

test('a field named like another schema\'s column but for case is a finding at the later schema, naming the column', () => {
  const found = columnFindings({ 'a_fee.v1.json': schema('a_fee', { FeeCents: { type: 'integer' } }), 'b_fee.v1.json': schema('b_fee', { feecents: { type: 'integer' } }) });
  assert.equal(found.length, 1);
  assert.match(found[0]!, 'b_fee.v1.json#/properties/feecents: "feecents" differs only in case from a_fee v1\'s column FeeCents');
  assert.match(found[0]!, 'use the exact name FeeCents, or another name');
});

test('the same name in two schemas, or a field no column holds, is no case finding', () => {
  assert.equal(columnFindings({ 'a_fee.v1.json': schema('a_fee', { FeeCents: { type: 'integer' }, Rate: { type: 'number' } }), 'b_fee.v1.json': schema('b_fee', { FeeCents: { type: 'integer' }, rate: { type: 'number' } }) }), []);
});

test.run();
