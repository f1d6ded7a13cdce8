// A type whose schema declares no account fields has SourceAccount and TargetAccount as its accounts (the index keys
// them), so a new event of it gives them 1 to MAX_ACCOUNT_BYTES UTF-8 bytes, as a declared account field must: an
// empty or over-long one was stored, its balance listed by GET /balances and unreachable by GET /balances/ACCOUNT.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaValidationError } from '../../domain/errors.ts';
import { MAX_ACCOUNT_BYTES, type DomainEvent } from '../../domain/event.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { cardPayment, cardSchemaWith, transfer } from '../support/account-fields.ts';

const test = suite('SourceAccount and TargetAccount of a type that declares no accounts');

// card_payment v1 without x-eventlake-accounts, whose TargetAccount and SourceAccount are any string.
const registry = SchemaRegistry.load({ folders: [cardSchemaWith((_schema, properties) => {
  delete properties['TargetAccount']!['pattern'];
  properties['SourceAccount'] = { type: 'string' };
})] });

function issuesOf(validate: () => unknown) {
  try {
    validate();
  } catch (error) {
    assert.instance(error, SchemaValidationError);
    return (error as SchemaValidationError).issues;
  }
  return assert.unreachable('validated') as never;
}

test('an empty TargetAccount of a new event is refused naming the field and the fix', () => {
  const [issue, ...more] = issuesOf(() => registry.validate(cardPayment(1, 1_700_000_000, 'CARD-1', '')));
  assert.equal(more, []);
  assert.is(issue!.pointer, '/TargetAccount');
  assert.is(issue!.reason, 'is empty, but it is an account field');
  assert.match(issue!.expected!, `an account of 1 to ${MAX_ACCOUNT_BYTES} UTF-8 bytes, or no such field`);
  assert.match(issue!.expected!, 'x-eventlake-accounts');
});

test('a SourceAccount over MAX_ACCOUNT_BYTES UTF-8 bytes of a new event is refused naming the field and its size', () => {
  const event: DomainEvent = { ...cardPayment(2, 1_700_000_000, 'CARD-1'), SourceAccount: 'S'.repeat(MAX_ACCOUNT_BYTES + 1) };
  const issues = issuesOf(() => registry.validate(event));
  assert.equal(issues.map((i) => [i.pointer, i.reason]), [['/SourceAccount', `is ${MAX_ACCOUNT_BYTES + 1} UTF-8 bytes, longer than an account can be (${MAX_ACCOUNT_BYTES})`]]);
});

test('validateStored still reads a stored event with an empty TargetAccount (the log cannot be rewritten)', () => {
  const event = cardPayment(3, 1_700_000_000, 'CARD-1', '');
  assert.equal(registry.validateStored(event), event);
});

test('a built-in type\'s empty TargetAccount is named once, by its schema\'s pattern', () => {
  const issues = issuesOf(() => SchemaRegistry.load().validate(transfer(4, 1_700_000_000, 'DE44-5001-0517', '')));
  assert.equal(issues.map((i) => i.pointer), ['/TargetAccount']);
  assert.not.match(issues[0]!.reason, 'account field');
});

test.run();
