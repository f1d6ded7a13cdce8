import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { balancesProjection } from '../../domain/balances.ts';
import { InvalidArgumentError, SchemaValidationError, UnknownSchemaVersionError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import { foldEvents } from '../../domain/projection.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const registry = SchemaRegistry.load({ now: () => 1_700_000_000 });
const v1 = SAMPLES['cash_withdrawal']!;
const v2 = { ...v1, SchemaVersion: 2, Channel: 'ATM' } as DomainEvent;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/** A registry with a user type `parcel_shipped` in versions 1..3, each adding one optional field (all have `Sizes`). */
function parcelRegistry(): SchemaRegistry {
  const dir = tempDir();
  for (const version of [1, 2, 3]) {
    const extra = Object.fromEntries([['Carrier', 2], ['Weight', 3]].filter(([, since]) => version >= Number(since)).map(([f]) => [f, { type: 'string' }]));
    writeFileSync(join(dir, `parcel_shipped.v${version}.json`), JSON.stringify({
      type: 'object',
      properties: { EventType: { const: 'parcel_shipped' }, SchemaVersion: { const: version }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'integer' }, Sizes: { type: 'object' }, ...extra },
      additionalProperties: false,
    }));
  }
  return SchemaRegistry.load({ folders: [dir], withoutBuiltins: true });
}
const parcel: DomainEvent = { EventType: 'parcel_shipped', SchemaVersion: 1, RequestId: v1.RequestId, EventTimeStamp: 1 };

const versions = suite('cash_withdrawal versions');

versions('v1 and v2 both validate, side by side', () => {
  assert.equal(registry.types().find((t) => t.type === 'cash_withdrawal')?.versions, [1, 2]);
  assert.equal(registry.validate(v1), v1);
  assert.equal(registry.validate(v2), v2);
});

versions('v2 requires Channel and v1 does not accept it', () => {
  assert.throws(() => registry.validate({ ...v2, Channel: undefined }), (e: unknown) => e instanceof SchemaValidationError && e.issues[0]?.pointer === '/Channel');
  assert.throws(() => registry.validate({ ...v1, Channel: 'ATM' }), (e: unknown) => e instanceof SchemaValidationError && e.issues[0]?.pointer === '/Channel');
});

versions('the latest version of cash_withdrawal is 2 and has a default upcaster from 1', () => {
  assert.is(registry.latestVersion('cash_withdrawal'), 2);
  assert.ok(registry.hasUpcaster('cash_withdrawal', 1));
  assert.equal(registry.types().find((t) => t.type === 'cash_withdrawal')?.upcasters, [1]);
});

versions.run();

const builtin = suite('built-in upcaster cash_withdrawal v1 → v2');

builtin('an ATM withdrawal becomes v2 with Channel ATM and every other field as written', () => {
  assert.equal(registry.upcast(v1), v2);
});

builtin('a teller withdrawal gets Channel BRANCH', () => {
  assert.is(registry.upcast(variant('cash_withdrawal', { LocationType: 'Teller' }) as DomainEvent)['Channel'], 'BRANCH');
});

builtin('the input is not mutated, and the result shares no object with it', () => {
  const input = deepFreeze(structuredClone(v1));
  const out = registry.upcast(input);
  assert.equal(input, v1);
  assert.is.not(out['Currency'], input['Currency']);
});

builtin('every upcast generated withdrawal validates against v2', () => {
  const withdrawals = generateEvents({ accounts: 20, days: 3, eventsPerDay: 100, start: 1_690_000_000 }).filter((e) => e.EventType === 'cash_withdrawal');
  assert.ok(withdrawals.length > 20);
  for (const e of withdrawals) assert.is(registry.validate(registry.upcast(e)).SchemaVersion, 2);
});

builtin('events already at the latest version, of other types or of unknown types come back as they are', () => {
  assert.is(registry.upcast(v2), v2);
  assert.is(registry.upcast(SAMPLES['cash_deposit']!), SAMPLES['cash_deposit']);
  assert.is(registry.upcast(parcel), parcel);
});

builtin('the balance fold of upcast events equals the fold of the originals', () => {
  const events = generateEvents({ accounts: 30, days: 5, eventsPerDay: 200, start: 1_690_000_000, seed: 7 });
  const original = foldEvents(balancesProjection, events);
  const upcast = foldEvents(balancesProjection, events.map((e) => registry.upcast(e)));
  assert.equal([...upcast.counters].sort(), [...original.counters].sort());
  assert.ok(original.counters.size > 10);
});

builtin('upcast can be handed over unbound, as the rebuild and dispatch dependencies take it', () => {
  const { upcast } = registry;
  assert.equal(upcast(v1), v2);
});

builtin('a registry without the built-ins has no built-in upcaster', () => {
  assert.equal(parcelRegistry().types().flatMap((t) => t.upcasters), []);
});

builtin.run();

const user = suite('user upcasters');

user('upcasters apply step by step up to the latest version', () => {
  const reg = parcelRegistry();
  reg.addUpcaster('parcel_shipped', 2, (e) => ({ ...e, Weight: `${String(e['Carrier'])}-standard` }));
  reg.addUpcaster('parcel_shipped', 1, (e) => ({ ...e, Carrier: 'UNKNOWN' }));
  const out = reg.upcast(parcel);
  assert.equal(out, { ...parcel, SchemaVersion: 3, Carrier: 'UNKNOWN', Weight: 'UNKNOWN-standard' });
  assert.is(reg.validate(out), out);
});

user('a missing step with no upcaster above it ends the chain there: the bump is a compatible one', () => {
  const reg = parcelRegistry();
  reg.addUpcaster('parcel_shipped', 1, (e) => ({ ...e, Carrier: 'DHL' }));
  assert.equal(reg.upcast(parcel), { ...parcel, SchemaVersion: 2, Carrier: 'DHL' });
});

user('a missing step below an upcaster is passed over, so the upcaster lifts older events too', () => {
  const reg = parcelRegistry();
  reg.addUpcaster('parcel_shipped', 2, (e) => ({ ...e, Weight: '1kg' }));
  assert.equal(reg.upcast(parcel), { ...parcel, SchemaVersion: 3, Weight: '1kg' });
  assert.equal(reg.upcast({ ...parcel, SchemaVersion: 2 }), { ...parcel, SchemaVersion: 3, Weight: '1kg' });
});

user('an upcaster that mutates its argument cannot change the stored event', () => {
  const reg = parcelRegistry();
  reg.addUpcaster('parcel_shipped', 1, (e) => Object.assign(e, { Carrier: 'DHL' }));
  const stored = { ...parcel };
  reg.upcast(stored);
  assert.equal(stored, parcel);
});

user('an upcaster that mutates a nested map of its argument cannot change the stored event', () => {
  const reg = parcelRegistry();
  reg.addUpcaster('parcel_shipped', 1, (e) => {
    (e['Sizes'] as Record<string, number>)['box'] = 9;
    return e;
  });
  const stored = { ...parcel, Sizes: { box: 1 } };
  const out = reg.upcast(stored);
  assert.equal(stored.Sizes, { box: 1 });
  assert.equal(out, { ...parcel, SchemaVersion: 2, Sizes: { box: 9 } });
});

user('an upcaster may return its argument frozen', () => {
  const reg = parcelRegistry();
  reg.addUpcaster('parcel_shipped', 1, (e) => Object.freeze(e));
  assert.equal(reg.upcast(parcel), { ...parcel, SchemaVersion: 2 });
});

user('an upcaster that changes the identity or time is refused', () => {
  const reg = parcelRegistry();
  reg.addUpcaster('parcel_shipped', 1, (e) => ({ ...e, RequestId: 'other' }));
  assert.throws(() => reg.upcast(parcel), (e: unknown) => e instanceof InvalidArgumentError && e.message.includes('RequestId'));
});

user('a second upcaster for the same step is refused', () => {
  const reg = parcelRegistry();
  reg.addUpcaster('parcel_shipped', 1, (e) => e);
  assert.throws(() => reg.addUpcaster('parcel_shipped', 1, (e) => e), (e: unknown) => e instanceof InvalidArgumentError);
});

user('an upcaster to a version without a schema is refused', () => {
  assert.throws(() => parcelRegistry().addUpcaster('parcel_shipped', 3, (e) => e), (e: unknown) => e instanceof UnknownSchemaVersionError);
});

user('a schema whose EventType or SchemaVersion const disagrees with its file name is refused at load', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'parcel_shipped.v2.json'), JSON.stringify({ type: 'object', properties: { EventType: { const: 'parcel_shipped' }, SchemaVersion: { const: 1 } } }));
  assert.throws(() => SchemaRegistry.load({ folders: [dir] }), (e: unknown) => e instanceof InvalidArgumentError && e.message.includes('SchemaVersion const 1'));
});

user.run();
