// x-eventlake-accounts in the subschemas the first nested check did not walk: draft-07's `dependencies` (ajv applies
// it) and `contentSchema`. Written there it names nothing, as inside a property, so it is refused at load too.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { accountFieldsRefusal, cardSchemaWith } from '../support/account-fields.ts';

const test = suite('x-eventlake-accounts in dependencies and contentSchema');

test('inside a draft-07 dependencies subschema it is refused at load, naming its place', () => {
  const dir = cardSchemaWith((s) => { s['dependencies'] = { CardAccount: { 'x-eventlake-accounts': ['CardAccount'] } }; });
  assert.match(accountFieldsRefusal(dir).message, 'stands at /dependencies/CardAccount/x-eventlake-accounts');
});

test('inside a contentSchema it is refused at load, naming its place', () => {
  const dir = cardSchemaWith((_, p) => {
    p['Receipt'] = { type: 'string', contentMediaType: 'application/json', contentSchema: { 'x-eventlake-accounts': ['CardAccount'] } };
  });
  assert.match(accountFieldsRefusal(dir).message, 'stands at /properties/Receipt/contentSchema/x-eventlake-accounts');
});

test.run();
