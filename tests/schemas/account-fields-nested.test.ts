// x-eventlake-accounts names the event's account fields only at the top of a schema; written inside a property or
// a subschema it would do nothing (ajv takes it anywhere, as an annotation), so it is refused there, naming where it
// stands and where it belongs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { basename } from 'node:path';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { accountFieldsRefusal, cardSchemaWith } from '../support/account-fields.ts';

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
  // Like any field whose name is no plain identifier, it only has no column in the events table.
  assert.equal(checkSchemaFolder(dir).findings.map((f) => `${f.pointer} ${f.rule}`), ['/properties/x-eventlake-accounts column']);
});

test('schemas check reports it where it stands', () => {
  const dir = cardSchemaWith((_, p) => { p['CardAccount']!['x-eventlake-accounts'] = ['CardAccount']; });
  assert.equal(checkSchemaFolder(dir).findings.map((f) => `${basename(f.file)}#${f.pointer} ${f.rule}`), ['card_payment.v1.json#/properties/CardAccount/x-eventlake-accounts accounts']);
});

test.run();
