// A declared account field is read by SQL as a column of the one `events` table (DuckDB's view, Glue's table), which
// has one spelling and one type per name: a declaration that column cannot serve is refused at load, because the
// index (which reads the JSON) would find the events while every SQL account filter missed them or failed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountDeclarations } from '../../schemas/account-fields.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { ACCOUNT_FIELDS_SCHEMAS, accountFieldsRefusal } from '../support/account-fields.ts';
import { tempDir } from '../support/tmp.ts';

type Schema = Record<string, unknown>;

/** card_payment v1's schema as user type `type`, with `fields` as its extra properties and `accounts` declared. */
function userType(type: string, fields: Record<string, Schema>, accounts?: string[]): Schema {
  const schema = JSON.parse(readFileSync(join(ACCOUNT_FIELDS_SCHEMAS, 'card_payment.v1.json'), 'utf8')) as Schema;
  const properties = schema['properties'] as Record<string, Schema>;
  properties['EventType'] = { const: type };
  Object.assign(properties, fields);
  schema['$id'] = `https://example.com/schemas/${type}/v1.json`;
  if (accounts) schema['x-eventlake-accounts'] = accounts;
  else delete schema['x-eventlake-accounts'];
  return schema;
}

/** A folder holding the given schemas as `<type>.v1.json`. */
function folder(...schemas: Schema[]): string {
  const dir = tempDir();
  for (const s of schemas) {
    const type = ((s['properties'] as Record<string, Schema>)['EventType']!)['const'] as string;
    writeFileSync(join(dir, `${type}.v1.json`), JSON.stringify(s));
  }
  return dir;
}

const refusal = accountFieldsRefusal;

const STRING = { type: 'string' };

const test = suite('schemas: a declared account field must be a string column of the events table');

test('a field another type has as an integer loads: its column is text, which reads the declared strings as they are', () => {
  const dir = folder(userType('a_card_payment', { Payer: STRING }, ['Payer']), userType('b_counter', { Payer: { type: 'integer' } }));
  assert.equal(accountDeclarations(SchemaRegistry.load({ folders: [dir] })).map((d) => d.fields), [['Payer']]);
});

test('a field spelled in another case than the column another type gave it is refused, naming the column', () => {
  // read_json matches JSON keys by exact name: a `payer` column reads NULL for an event whose field is `Payer`.
  const dir = folder(userType('a_card_payment', { payer: STRING }), userType('b_card_payment', { Payer: STRING }, ['Payer']));
  const error = refusal(dir);
  assert.is(error.file, join(dir, 'b_card_payment.v1.json'));
  assert.match(error.message, 'names Payer, but the events table spells that column payer (a_card_payment v1)');
});

test('a field named like a partition column is refused: SQL would read the partition, not the field', () => {
  const error = refusal(folder(userType('a_card_payment', { day: STRING }, ['day'])));
  assert.match(error.message, 'names day, which the events table has no column for (day is the name of a partition column)');
});

test('a built-in column of another type than string is refused', () => {
  const error = refusal(folder(userType('a_card_payment', { Verified: STRING }, ['Verified'])));
  assert.match(error.message, 'names Verified, which the events table has as boolean (a built-in column)');
});

test('the same field declared by two types, and a built-in string column, load and are declared', () => {
  const dir = folder(userType('a_card_payment', { Payer: STRING, Reference: STRING }, ['Payer', 'Reference']), userType('b_card_payment', { Payer: STRING, Reference: STRING }, ['Payer']));
  assert.equal(accountDeclarations(SchemaRegistry.load({ folders: [dir] })), [
    { type: 'a_card_payment', version: 1, fields: ['Payer', 'Reference'] },
    { type: 'b_card_payment', version: 1, fields: ['Payer'] },
  ]);
});

test.run();
