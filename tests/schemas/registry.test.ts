import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventTooLargeError, SchemaValidationError, UnknownEventTypeError, UnknownSchemaVersionError } from '../../domain/errors.ts';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { serializeEvent } from '../../domain/event.ts';
import { join } from 'node:path';
import { MAX_EVENT_BYTES, SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';
import { SAMPLES, variant } from '../support/samples.ts';

const test = suite('SchemaRegistry');
const registry = SchemaRegistry.load({ now: () => 1_700_000_000 });

function issuesOf(input: unknown): SchemaValidationError {
  try {
    registry.validate(input);
  } catch (e) {
    if (e instanceof SchemaValidationError) return e;
    throw e;
  }
  throw new Error('expected a SchemaValidationError');
}

function pointers(input: unknown): string[] {
  return issuesOf(input).issues.map((i) => i.pointer);
}

test('loads the five built-in bank event types', () => {
  assert.equal(registry.types().map((t) => t.type), ['cash_deposit', 'cash_withdrawal', 'incoming_payment', 'inter_account_transfer', 'verify_cash_deposit']);
});

for (const [type, sample] of Object.entries(SAMPLES)) {
  test(`the corrected seed sample of ${type} is valid`, () => {
    assert.equal(registry.validate(sample), sample);
  });
}

test('every failing field is listed, not only the first', () => {
  const bad = variant('cash_deposit', { Amount: '123.4', LocationType: 'Bank', TargetAccount: 'x', Extra: 1 });
  assert.equal(pointers(bad).sort(), ['/Amount', '/Extra', '/LocationType', '/TargetAccount']);
});

test('the message names the field and what would be valid', () => {
  const e = issuesOf(variant('cash_withdrawal', { Amount: '12' }));
  assert.match(e.message, '/Amount');
  assert.match(e.message, 'exactly two decimals');
  assert.is(e.code, 'SCHEMA_VALIDATION');
});

test('a zero or negative amount is rejected', () => {
  assert.equal(pointers(variant('incoming_payment', { Amount: '0.00' })), ['/Amount']);
  assert.equal(pointers(variant('incoming_payment', { Amount: '-1.00' })), ['/Amount']);
});

test('a missing required field is named', () => {
  assert.equal(pointers(variant('inter_account_transfer', { TargetAccount: undefined })), ['/TargetAccount']);
});

test('a currency breakdown is an object of denominations to positive counts', () => {
  assert.equal(pointers(variant('cash_withdrawal', { Currency: { '5-dollars': 1 } })), ['/Currency/5-dollars']);
  assert.equal(pointers(variant('cash_withdrawal', { Currency: { '50-euro-bills': 0 } })), ['/Currency/50-euro-bills']);
  assert.equal(pointers(variant('cash_withdrawal', { Currency: ['50-euro-bills', 4] })), ['/Currency']);
});

test('a deposit whose currency does not add up to its amount is rejected', () => {
  const e = issuesOf(variant('cash_deposit', { Currency: { '100-euro-bills': 1 } }));
  assert.equal(e.issues.map((i) => i.pointer), ['/Currency']);
  assert.match(e.message, 'adds up to 100.00 but Amount is 123.45');
});

test('a verification whose verified currency does not add up to its amount is rejected', () => {
  assert.equal(pointers(variant('verify_cash_deposit', { Amount: '123.45' })), ['/VerifiedCurrency']);
});

test('a transfer to its own source account is rejected', () => {
  assert.equal(pointers(variant('inter_account_transfer', { TargetAccount: 'DE44-5001-0517' })), ['/TargetAccount']);
});

test('an incoming payment names the credited TargetAccount apart from the remote SourceAccount', () => {
  assert.equal(pointers(variant('incoming_payment', { TargetAccount: undefined })), ['/TargetAccount']);
});

test('a reference longer than 140 characters is rejected', () => {
  assert.equal(pointers(variant('cash_withdrawal', { Reference: 'x'.repeat(141) })), ['/Reference']);
});

test('timestamps must be whole, non-negative and not in the far future', () => {
  assert.equal(pointers(variant('cash_withdrawal', { EventTimeStamp: -1 })), ['/EventTimeStamp']);
  assert.equal(pointers(variant('cash_withdrawal', { EventTimeStamp: 12.5 })), ['/EventTimeStamp']);
  assert.equal(pointers(variant('cash_withdrawal', { EventTimeStamp: '1234567890' })), ['/EventTimeStamp']);
  assert.equal(pointers(variant('cash_withdrawal', { EventTimeStamp: 1_700_000_000 + 2 * 86_400 })), ['/EventTimeStamp']);
});

test('a RequestId must be a UUID', () => {
  assert.equal(pointers(variant('cash_withdrawal', { RequestId: '../../etc/passwd' })), ['/RequestId']);
});

test('an unknown EventType is its own error naming the known types', () => {
  try {
    registry.validate(variant('cash_withdrawal', { EventType: 'outgoing_payment' }));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, UnknownEventTypeError);
    assert.match((e as Error).message, 'cash_deposit');
  }
});

test('an unknown SchemaVersion is its own error naming the known versions', () => {
  assert.throws(() => registry.validate(variant('cash_withdrawal', { SchemaVersion: 9 })), (e: unknown) => e instanceof UnknownSchemaVersionError && /has no SchemaVersion 9: use one of 1\b/.test((e as Error).message));
});

test('a missing SchemaVersion is reported as required, not as version "undefined"', () => {
  const { SchemaVersion: _, ...without } = variant('cash_withdrawal', {});
  assert.throws(() => registry.validate(without), (e: unknown) => e instanceof UnknownSchemaVersionError && /SchemaVersion is missing .*required, an integer/.test((e as Error).message) && !/undefined/.test((e as Error).message));
});

test('a SchemaVersion given as a string says to give it as an integer', () => {
  assert.throws(() => registry.validate(variant('cash_withdrawal', { SchemaVersion: '1' })), (e: unknown) => e instanceof UnknownSchemaVersionError && /SchemaVersion "1" .* is a string: give it as an integer/.test((e as Error).message));
});

test('an EventType that is not snake_case is rejected before any lookup', () => {
  assert.equal(pointers(variant('cash_withdrawal', { EventType: '../x' })), ['/EventType']);
});

test('a RequestId the uuid format accepts but the envelope does not is refused, right after a valid event too', () => {
  const sample = SAMPLES['incoming_payment']!;
  for (const id of [`urn:uuid:${sample.RequestId}`, '3f1c2a9e-8b7d-0c6e-9f00-1a2b3c4d5e6f', '3f1c2a9e-8b7d-4c6e-7f00-1a2b3c4d5e6f']) {
    assert.equal(registry.validate(sample), sample);
    assert.equal(pointers({ ...sample, RequestId: id }), ['/RequestId']);
  }
  assert.equal(registry.validate({ ...sample, RequestId: sample.RequestId.toUpperCase() }).RequestId, sample.RequestId.toUpperCase());
});

test('a value that is not an object is rejected', () => {
  for (const v of [null, 1, 'x', [SAMPLES['cash_deposit']]]) assert.equal(pointers(v), ['']);
});

test('an event over the size limit is rejected with the limit named', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'blob_event.v1.json'), JSON.stringify({
    type: 'object',
    properties: { EventType: { const: 'blob_event' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'integer' }, Blob: { type: 'string' } },
  }));
  const reg = SchemaRegistry.load({ folders: [dir], now: () => 1_700_000_000 });
  const event = { EventType: 'blob_event', SchemaVersion: 1, RequestId: SAMPLES['cash_deposit']!.RequestId, EventTimeStamp: 1, Blob: 'x'.repeat(MAX_EVENT_BYTES) };
  assert.throws(() => reg.validate(event), (e: unknown) => e instanceof EventTooLargeError && e.message.includes(String(MAX_EVENT_BYTES)));
  assert.is(reg.validate({ ...event, Blob: 'small' }).EventType, 'blob_event');
});

/** A registry with an open user type whose Blob may be any string, so the size limit is what refuses it. */
function blobRegistry(): SchemaRegistry {
  const dir = tempDir();
  writeFileSync(join(dir, 'blob_event.v1.json'), JSON.stringify({
    type: 'object',
    properties: { EventType: { const: 'blob_event' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'integer' }, Blob: { type: 'string' } },
  }));
  return SchemaRegistry.load({ folders: [dir], now: () => 1_700_000_000 });
}

test('the size limit counts the canonical bytes exactly: escapes, multi-byte characters and surrogate pairs included', () => {
  const reg = blobRegistry();
  const base = { EventType: 'blob_event', SchemaVersion: 1, RequestId: SAMPLES['cash_deposit']!.RequestId, EventTimeStamp: 1 };
  // Well-formed units only: a lone surrogate is refused before the size is counted (tests/schemas/well-formed.test.ts).
  const wellFormed = (u: string) => (u as unknown as { isWellFormed(): boolean }).isWellFormed();
  fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }).filter(wellFormed), fc.integer({ min: 8_000, max: 70_000 }), (unit, chars) => {
    const event = { ...base, Blob: unit.repeat(Math.ceil(chars / unit.length)) };
    const size = Buffer.byteLength(serializeEvent(event));
    if (size <= MAX_EVENT_BYTES) assert.is(reg.validate(event), event);
    else assert.throws(() => reg.validate(event), (e: unknown) => e instanceof EventTooLargeError && e.size === size);
  }), { numRuns: 200 });
  for (const [blob, fits] of [['x'.repeat(20_000), true], ['\u0001'.repeat(11_000), false], ['é'.repeat(32_600), true], ['é'.repeat(32_800), false], ['\ud83d\ude00'.repeat(16_300), true], ['\ud83d\ude00'.repeat(16_400), false]] as const) {
    const event = { ...base, Blob: blob };
    if (fits) assert.is(reg.validate(event), event);
    else assert.throws(() => reg.validate(event), (e: unknown) => e instanceof EventTooLargeError && e.size === Buffer.byteLength(serializeEvent(event)));
  }
});

test('a value JSON cannot hold in an open field still fails serialization, as before', () => {
  const reg = blobRegistry();
  const event = { EventType: 'blob_event', SchemaVersion: 1, RequestId: SAMPLES['cash_deposit']!.RequestId, EventTimeStamp: 1, Big: 1n };
  assert.throws(() => reg.validate(event), TypeError);
  const nested = { ...event, Big: undefined, Deep: { a: [1, undefined, { b: 'x' }] }, When: new Date(0) };
  assert.is(reg.validate(nested), nested);
});

test('a user schema that leaves RequestId and EventTimeStamp open still gets a UUID and whole epoch seconds', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'loose_event.v1.json'), JSON.stringify({
    type: 'object',
    properties: { EventType: { const: 'loose_event' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'number' } },
  }));
  const reg = SchemaRegistry.load({ folders: [dir], now: () => 1_700_000_000 });
  const event = { EventType: 'loose_event', SchemaVersion: 1, RequestId: '../../etc/passwd', EventTimeStamp: 1.5 };
  assert.throws(() => reg.validate(event), (e: unknown) => e instanceof SchemaValidationError && e.issues.map((i) => i.pointer).join() === '/RequestId,/EventTimeStamp');
  assert.is(reg.validate({ ...event, RequestId: SAMPLES['cash_deposit']!.RequestId, EventTimeStamp: 1 }).EventType, 'loose_event');
});

test.run();
