// registry.validateStored, what replay validates with: validate()'s checks, with errors that say the event is stored
// and that the fix is in the schemas (a file changed, or a type or version no longer loaded).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaValidationError, StoredEventInvalidError, StoredEventTypeUnknownError, StoredEventVersionUnknownError, UnknownEventTypeError, UnknownSchemaVersionError } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { SAMPLES, variant } from '../support/samples.ts';

const registry = SchemaRegistry.load({ now: () => 1_700_000_000 });
const deposit = SAMPLES['cash_deposit']!;
const ID = `cash_deposit_${deposit.RequestId}`;

const test = suite('registry.validateStored');

test('a valid stored event passes as it is', () => {
  assert.is(registry.validateStored(deposit), deposit);
});

test('a schema failure is a StoredEventInvalidError (a SchemaValidationError) naming the schema file it was written against', () => {
  assert.throws(() => registry.validateStored(variant('cash_deposit', { LocationType: 'Bank' })), (e: unknown) => e instanceof StoredEventInvalidError
    && e instanceof SchemaValidationError && e.code === 'SCHEMA_VALIDATION' && e.eventId === ID && e.issues[0]?.pointer === '/LocationType'
    && e.schema.file.endsWith('cash_deposit.v1.json') && /restore that file as it was/.test(e.message));
});

test('a domain rule failure keeps validate()\'s error: the schema file is not the one to blame', () => {
  assert.throws(() => registry.validateStored(variant('cash_deposit', { Currency: { '100-euro-bills': 1 } })), (e: unknown) =>
    e instanceof SchemaValidationError && !(e instanceof StoredEventInvalidError) && e.issues[0]?.pointer === '/Currency');
});

test('a type no loaded schema defines says which schema file to load back', () => {
  assert.throws(() => registry.validateStored({ ...deposit, EventType: 'account_fee_charged' }), (e: unknown) => e instanceof StoredEventTypeUnknownError
    && e instanceof UnknownEventTypeError && e.message.includes('load the folder with account_fee_charged.v1.json'));
});

test('a version no loaded schema defines says which schema file to load back, not to use another version', () => {
  assert.throws(() => registry.validateStored({ ...deposit, SchemaVersion: 7 }), (e: unknown) => e instanceof StoredEventVersionUnknownError
    && e instanceof UnknownSchemaVersionError && e.message.includes('cash_deposit.v7.json') && !e.message.includes('use one of'));
});

test.run();
