// Validation refuses strings that are not well-formed Unicode (a lone UTF-16 surrogate), in any field or key, naming
// the field: SQLite and DuckDB cannot hold one faithfully, so a stored one broke every query of its hour for good and
// made distinct accounts read back as one. Events read back from the log (validateStored) predating the check are not:
// the log cannot be rewritten, and a replay must not stop at one for good.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaValidationError } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { variant } from '../support/samples.ts';
import { cardPayment, cardSchemaWith } from '../support/account-fields.ts';

const test = suite('schemas: strings are well-formed Unicode');
const registry = SchemaRegistry.load();

/** A folder holding card_payment v1 whose account field CardAccount takes any string of up to 40 characters. */
const freeCardAccounts = (): string => cardSchemaWith((schema, properties) => {
  schema['x-eventlake-accounts'] = ['CardAccount'];
  properties['CardAccount'] = { type: 'string', maxLength: 40 };
});

/** The pointers the SchemaValidationError of validating `event` names (fails when it is accepted). */
function refusedPointers(validate: (e: unknown) => unknown, event: unknown): string[] {
  try {
    validate(event);
  } catch (error) {
    assert.instance(error, SchemaValidationError);
    return (error as SchemaValidationError).issues.map((i) => i.pointer);
  }
  assert.unreachable('the event was accepted');
  return [];
}

test('a lone low surrogate in Reference is refused naming /Reference', () => {
  const event = variant('incoming_payment', { Reference: 'x\udc00y' });
  assert.equal(refusedPointers((e) => registry.validate(e), event), ['/Reference']);
});

test('a lone high surrogate at the end of a string is refused, and the reason says lone surrogate', () => {
  try {
    registry.validate(variant('incoming_payment', { SourceInstitution: 'Bank\ud800' }));
    assert.unreachable('accepted');
  } catch (error) {
    assert.instance(error, SchemaValidationError);
    assert.match((error as Error).message, '/SourceInstitution: is not well-formed Unicode text (it holds a lone UTF-16 surrogate');
  }
});

test('a surrogate pair (a character above U+FFFF) is accepted', () => {
  assert.not.throws(() => registry.validate(variant('incoming_payment', { Reference: 'paid \ud83d\ude00' })));
});

test('a key holding a lone surrogate is refused, its pointer printing the surrogate as an escape', () => {
  const event = variant('cash_deposit', { Currency: { '100-euro-bills': 1, 'x\udbff': 1 } });
  const pointers = refusedPointers((e) => registry.validate(e), event);
  assert.ok(pointers.includes('/Currency/x\\udbff'), pointers.join(', '));
});

test('a user type\'s account fields that differ only in a lone surrogate are refused, not stored as one account', () => {
  const users = SchemaRegistry.load({ folders: [freeCardAccounts()] });
  for (const card of ['LS\ud800', 'LS\udbff', 'LS\udc00']) assert.equal(refusedPointers((e) => users.validate(e), cardPayment(1, 1234567890, card)), ['/CardAccount']);
});

test('a stored event holding a lone surrogate (written by an older version) still reads back, so replays go on', () => {
  const stored = variant('incoming_payment', { Reference: 'x\udc00y' });
  assert.is(registry.validateStored(stored), stored);
});

test.run();
