// `schemas check` reports a field SQL would read with another type than its schema gives it: a built-in column's
// name with another type, and a field two schemas of the folder type differently (its column becomes text).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { tempDir } from '../support/tmp.ts';

/** A lint-clean schema of `type` v`version` with `fields` beside the envelope. */
function schema(type: string, version: number, fields: Record<string, unknown>): string {
  return JSON.stringify({
    $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false,
    required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'],
    properties: { EventType: { const: type }, SchemaVersion: { const: version }, RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer' }, ...fields },
  });
}

function lint(files: Record<string, string>): string[] {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return checkSchemaFolder(dir).findings.map((f) => `${basename(f.file)}#${f.pointer} ${f.rule}: ${f.message}`);
}

const test = suite('schemas check: column types');

test('a field named like a built-in column of another type is a column finding naming both types and the fix', () => {
  const found = lint({ 'card_fee.v1.json': schema('card_fee', 1, { Currency: { type: 'string', enum: ['EUR', 'USD'] }, Verified: { type: 'string' } }) });
  assert.equal(found.map((f) => f.slice(0, f.indexOf(':'))), ['card_fee.v1.json#/properties/Currency column', 'card_fee.v1.json#/properties/Verified column']);
  assert.match(found[0]!, '"Currency" is the built-in column Currency, which is map<string,int> (a JSON object of integers), but this schema has it as string');
  assert.match(found[0]!, 'rename the field in your schema');
});

test('a built-in column\'s name with the same type, or a built-in string column\'s, is no finding', () => {
  assert.equal(lint({ 'card_fee.v1.json': schema('card_fee', 1, { Verified: { type: 'boolean' }, Reference: { type: 'integer' } }) }), []);
});

test('a v2 that gives a field another column type is a finding at v2, saying the column becomes text', () => {
  const found = lint({ 'account_fee.v1.json': schema('account_fee', 1, { FeeCents: { type: 'integer' } }), 'account_fee.v2.json': schema('account_fee', 2, { FeeCents: { type: 'string' } }) });
  const column = found.filter((f) => f.includes(' column: '));
  assert.equal(column.length, 1);
  assert.match(column[0]!, 'account_fee.v2.json#/properties/FeeCents column: "FeeCents": account_fee v1 has it as bigint, account_fee v2 as string, so the events table reads it as text');
});

test('two types giving one field different column types is a finding', () => {
  const found = lint({ 'a_fee.v1.json': schema('a_fee', 1, { Code: { type: 'boolean' } }), 'b_fee.v1.json': schema('b_fee', 1, { Code: { type: 'string' } }) });
  assert.equal(found.map((f) => f.slice(0, f.indexOf(':'))), ['b_fee.v1.json#/properties/Code column']);
});

test.run();
