// The values a new event may give its declared account fields: non-empty and at most MAX_ACCOUNT_BYTES UTF-8 bytes,
// each failing one named by its field.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_ACCOUNT_BYTES } from '../../domain/event.ts';
import { accountValueIssues } from '../../schemas/account-values.ts';

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

test.run();
