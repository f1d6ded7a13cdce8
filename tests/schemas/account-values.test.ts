// The values a new event may give its declared account fields: non-empty and at most MAX_ACCOUNT_BYTES UTF-8 bytes,
// each failing one named by its field.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaValidationError } from '../../domain/errors.ts';
import { MAX_ACCOUNT_BYTES } from '../../domain/event.ts';
import { accountValueIssues } from '../../schemas/account-values.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { cardPayment, cardSchemaWith } from '../support/account-fields.ts';

const test = suite('declared account field values');
const EXPECTED = `an account of 1 to ${MAX_ACCOUNT_BYTES} UTF-8 bytes`;

test('an empty declared account field is an issue naming it', () => {
  assert.equal(accountValueIssues({ CardAccount: '' }, ['CardAccount']), [{ pointer: '/CardAccount', reason: 'is empty, but it is a declared account field', expected: EXPECTED }]);
});

test('a declared account field over MAX_ACCOUNT_BYTES UTF-8 bytes is an issue naming it and its size', () => {
  const value = 'é'.repeat(MAX_ACCOUNT_BYTES / 2 + 1);
  assert.equal(accountValueIssues({ CardAccount: 'C-1', Merchant: value }, ['CardAccount', 'Merchant']), [
    { pointer: '/Merchant', reason: `is ${MAX_ACCOUNT_BYTES + 2} UTF-8 bytes, longer than an account can be (${MAX_ACCOUNT_BYTES})`, expected: EXPECTED },
  ]);
});

test('an account of exactly MAX_ACCOUNT_BYTES UTF-8 bytes, a missing field and undeclared fields are no issue', () => {
  assert.equal(accountValueIssues({ CardAccount: 'é'.repeat(MAX_ACCOUNT_BYTES / 2), Note: '' }, ['CardAccount', 'Merchant']), []);
});

// card_payment v1 declaring CardAccount an account, with no pattern of its own to refuse '' or a long value.
const plainAccounts = () => SchemaRegistry.load({ folders: [cardSchemaWith((schema, properties) => {
  schema['x-eventlake-accounts'] = ['CardAccount'];
  delete properties['CardAccount']!['pattern'];
})] });

for (const [what, card] of [['empty', ''], ['over MAX_ACCOUNT_BYTES', 'C'.repeat(MAX_ACCOUNT_BYTES + 1)]] as const) {
  test(`validate refuses a new event whose declared account field is ${what}, naming the field`, () => {
    try {
      plainAccounts().validate(cardPayment(1, 1_700_000_000, card));
      assert.unreachable('validated');
    } catch (error) {
      assert.instance(error, SchemaValidationError);
      assert.equal((error as SchemaValidationError).issues.map((i) => i.pointer), ['/CardAccount']);
    }
  });
}

test('validateStored still reads a stored event with an empty declared account field (the log cannot be rewritten)', () => {
  const event = cardPayment(1, 1_700_000_000, '');
  assert.equal(plainAccounts().validateStored(event), event);
});

test.run();
