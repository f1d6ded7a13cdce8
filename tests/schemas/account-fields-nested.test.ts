// x-eventlake-accounts names the event's account fields only at the top of a schema; written inside a property or
// a subschema it would do nothing (ajv takes it anywhere, as an annotation), so it is refused there, naming where it
// stands and where it belongs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { ACCOUNT_FIELDS_SCHEMAS, accountFieldsRefusal } from '../support/account-fields.ts';
import { tempDir } from '../support/tmp.ts';

type Schema = Record<string, unknown>;

/** A folder with card_payment v1, without the keyword at its top, changed by `change`. */
function cardSchemaWith(change: (schema: Schema, properties: Record<string, Schema>) => void): string {
  const schema = JSON.parse(readFileSync(join(ACCOUNT_FIELDS_SCHEMAS, 'card_payment.v1.json'), 'utf8')) as Schema;
  delete schema['x-eventlake-accounts'];
  change(schema, schema['properties'] as Record<string, Schema>);
  const dir = tempDir();
  writeFileSync(join(dir, 'card_payment.v1.json'), JSON.stringify(schema));
  return dir;
}

const test = suite('x-eventlake-accounts below the top of a schema');

test('inside a property it is refused at load, naming its place and the fix', () => {
  const dir = cardSchemaWith((_, p) => { p['CardAccount']!['x-eventlake-accounts'] = ['CardAccount']; });
  assert.match(accountFieldsRefusal(dir).message,
    'stands at /properties/CardAccount/x-eventlake-accounts, where it names nothing: move it to the top of the schema');
});

test('inside a subschema of a subschema ($defs, allOf) it is refused too', () => {
  const dir = cardSchemaWith((s) => { s['$defs'] = { card: { allOf: [{ type: 'string', 'x-eventlake-accounts': ['CardAccount'] }] } }; });
  assert.match(accountFieldsRefusal(dir).message, 'stands at /$defs/card/allOf/0/x-eventlake-accounts');
});

test('a property merely named x-eventlake-accounts is a field like any other, not the keyword', () => {
  const dir = cardSchemaWith((_, p) => { p['x-eventlake-accounts'] = { type: 'string' }; });
  assert.equal(checkSchemaFolder(dir).findings, []);
});

test('schemas check reports it where it stands', () => {
  const dir = cardSchemaWith((_, p) => { p['CardAccount']!['x-eventlake-accounts'] = ['CardAccount']; });
  assert.equal(checkSchemaFolder(dir).findings.map((f) => `${basename(f.file)}#${f.pointer} ${f.rule}`), ['card_payment.v1.json#/properties/CardAccount/x-eventlake-accounts accounts']);
});

test.run();
