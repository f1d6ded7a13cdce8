// A new event's top-level field named like a column of the `events` table must hold a value that column reads: one of
// another JSON type fails every SQL query over its hour for good (events are never rewritten), or reads wrong.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaValidationError } from '../../domain/errors.ts';
import { columnValueIssues } from '../../schemas/column-values.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

/** The schema of `type` v1 with `fields` beside the envelope; closed unless `open`. */
function schema(type: string, fields: Record<string, unknown>, open = false): string {
  return JSON.stringify({
    type: 'object', ...(open ? {} : { additionalProperties: false }), required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'],
    properties: { EventType: { const: type }, SchemaVersion: { const: 1 }, RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer' }, ...fields },
  });
}

function registryOf(schemas: Record<string, string>): SchemaRegistry {
  const dir = tempDir();
  for (const [type, text] of Object.entries(schemas)) writeFileSync(join(dir, `${type}.v1.json`), text);
  return SchemaRegistry.load({ folders: [dir] });
}

const event = (type: string, fields: Record<string, unknown>) => ({ EventType: type, SchemaVersion: 1, RequestId: '6f1c6c1e-4c1e-4c1e-8c1e-6f1c6c1e4c1e', EventTimeStamp: 1_700_000_000, ...fields });

function refusal(registry: SchemaRegistry, input: unknown): SchemaValidationError {
  try {
    registry.validate(input);
  } catch (error) {
    if (error instanceof SchemaValidationError) return error;
    throw error;
  }
  return assert.unreachable('validated') as never;
}

const CARD_FEE = { card_fee: schema('card_fee', { Currency: { type: 'string', enum: ['EUR', 'USD'] }, Verified: { type: 'string' } }) };
const test = suite('column values of new events');

test('a field named like a built-in map column holding a string is refused, naming the field, the column type and the fix', () => {
  const error = refusal(registryOf(CARD_FEE), event('card_fee', { Currency: 'EUR' }));
  assert.equal(error.issues.map((i) => i.pointer), ['/Currency']);
  assert.match(error.issues[0]!.reason, 'is a string, but SQL reads Currency as the built-in column Currency, which is map<string,int>');
  assert.match(error.issues[0]!.expected, 'rename Currency in your schema');
});

test('a string in the built-in boolean column Verified is refused (DuckDB would read "yes" as true)', () => {
  const error = refusal(registryOf(CARD_FEE), event('card_fee', { Verified: 'yes' }));
  assert.match(error.issues[0]!.reason, 'which is boolean');
});

test('an open schema\'s extra field is compared with the column of that name, case-insensitively', () => {
  const registry = registryOf({ card_fee: schema('card_fee', {}, true) });
  assert.equal(refusal(registry, event('card_fee', { currency: 'EUR' })).issues.map((i) => i.pointer), ['/currency']);
});

test('an extra field named like another type\'s integer column holding a string is refused, naming that column', () => {
  const registry = registryOf({ a_fee: schema('a_fee', { FeeCents: { type: 'integer' } }), b_note: schema('b_note', {}, true) });
  assert.match(refusal(registry, event('b_note', { FeeCents: '2.50' })).issues[0]!.reason, 'the column (a_fee v1) FeeCents, which is bigint');
});

test('an integer beyond what a bigint column holds is refused', () => {
  const registry = registryOf({ a_fee: schema('a_fee', { FeeCents: { type: 'integer' } }) });
  assert.equal(refusal(registry, event('a_fee', { FeeCents: 2 ** 64 })).issues.map((i) => i.pointer), ['/FeeCents']);
});

test('values the columns read are accepted: a map of integers, null, a string in a string column', () => {
  const registry = registryOf({ card_note: schema('card_note', {}, true) });
  registry.validate(event('card_note', { Currency: { '10-euro-bills': 2 }, Verified: null, Amount: 12 }));
});

test('a stored event with such a field still validates for replay (validateStored skips the input checks)', () => {
  registryOf(CARD_FEE).validateStored(event('card_fee', { Currency: 'EUR', Verified: 'yes' }));
});

test('a schema added after the first new event brings its columns to the check', () => {
  const registry = registryOf({ b_note: schema('b_note', {}, true) });
  registry.validate(event('b_note', { FeeCents: 'x' }));
  const dir = tempDir();
  writeFileSync(join(dir, 'a_fee.v1.json'), schema('a_fee', { FeeCents: { type: 'integer' } }));
  registry.add(join(dir, 'a_fee.v1.json'));
  assert.equal(refusal(registry, event('b_note', { FeeCents: 'x' })).issues.map((i) => i.pointer), ['/FeeCents']);
});

test('without a registry the built-in columns are checked (a check of stored events given no schemas)', () => {
  assert.equal(columnValueIssues({ Currency: 'EUR', FeeCents: 'x' }).map((i) => i.pointer), ['/Currency']);
});

test.run();
