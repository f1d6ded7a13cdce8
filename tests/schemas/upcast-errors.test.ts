// A broken upcaster is a typed error naming the step, the event and the fix: on read (replay, dispatch) instead of
// a silently wrong event folded into a projection, and on emit before anything is written.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchRejectedError, UpcastError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { prepareEvents } from '../../projections/eventlake.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import type { Upcaster } from '../../schemas/upcasters.ts';
import { tempDir } from '../support/tmp.ts';

/** account_fee_charged v1 (FeeKind) and v2 (FeeKind renamed FeeType, Waivable added, both required), with `upcast`. */
function feeRegistry(upcast: Upcaster): SchemaRegistry {
  const dir = tempDir();
  const envelope = (version: number) => ({
    EventType: { const: 'account_fee_charged' }, SchemaVersion: { const: version },
    RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer' }, Account: { type: 'string' },
  });
  const schema = (version: number, fields: Record<string, unknown>) => JSON.stringify({
    type: 'object', properties: { ...envelope(version), ...fields },
    required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', 'Account', ...Object.keys(fields)], additionalProperties: false,
  });
  writeFileSync(join(dir, 'account_fee_charged.v1.json'), schema(1, { FeeKind: { enum: ['MONTHLY', 'OVERDRAFT'] } }));
  writeFileSync(join(dir, 'account_fee_charged.v2.json'), schema(2, { FeeType: { enum: ['MONTHLY', 'OVERDRAFT'] }, Waivable: { type: 'boolean' } }));
  const registry = SchemaRegistry.load({ folders: [dir], withoutBuiltins: true });
  registry.addUpcaster('account_fee_charged', 1, upcast);
  return registry;
}

const fee: DomainEvent = { EventType: 'account_fee_charged', SchemaVersion: 1, RequestId: '01a21670-3523-7140-b3ff-abf5b4a13862', EventTimeStamp: 1_714_000_050, Account: 'DE44-5001-0517', FeeKind: 'MONTHLY' };
const ID = 'account_fee_charged_01a21670-3523-7140-b3ff-abf5b4a13862';
const renames: Upcaster = ({ FeeKind, ...rest }) => ({ ...rest, FeeType: FeeKind, Waivable: FeeKind === 'MONTHLY' });
const forgetsWaivable: Upcaster = ({ FeeKind, ...rest }) => ({ ...rest, FeeType: FeeKind });
const throws: Upcaster = () => {
  throw new Error('no mapping for MONTHLY');
};

const test = suite('broken upcasters');

test('a correct upcaster renames a field and adds a required one', () => {
  const { FeeKind: _, ...rest } = fee;
  assert.equal(feeRegistry(renames).upcast(fee), { ...rest, SchemaVersion: 2, FeeType: 'MONTHLY', Waivable: true });
});

test('an upcaster whose result its target version rejects is an UpcastError naming the step, the event and the field', () => {
  const registry = feeRegistry(forgetsWaivable);
  assert.throws(() => registry.upcast(fee), (e: unknown) => e instanceof UpcastError && e.code === 'UPCAST_FAILED'
    && e.eventId === ID && e.fromVersion === 1 && e.issues.map((i) => i.pointer).join() === '/Waivable'
    && /account_fee_charged v1 → v2/.test(e.message) && /fix the upcaster/.test(e.message));
});

test('an upcaster that throws is an UpcastError naming the step and the event, with the thrown error as its cause', () => {
  const registry = feeRegistry(throws);
  assert.throws(() => registry.upcast(fee), (e: unknown) => e instanceof UpcastError && e.eventId === ID
    && e.message.includes('no mapping for MONTHLY') && (e.cause as Error).message === 'no mapping for MONTHLY');
});

test('an upcaster that returns nothing is an UpcastError, not a TypeError', () => {
  const registry = feeRegistry((() => undefined) as unknown as Upcaster);
  assert.throws(() => registry.upcast(fee), (e: unknown) => e instanceof UpcastError && /returned undefined/.test(e.message));
});

test('an old-version event whose upcaster fails is refused on emit, so nothing that cannot be read is written', () => {
  for (const upcast of [forgetsWaivable, throws]) {
    assert.throws(() => prepareEvents(feeRegistry(upcast), [fee]), (e: unknown) => e instanceof BatchRejectedError
      && e.failures[0]?.error instanceof UpcastError);
  }
});

test('validate then upcast (what replay does) upcasts once, and gives the checked result', () => {
  let calls = 0;
  const registry = feeRegistry((e) => (calls++, renames(e)));
  const stored = { ...fee };
  registry.validate(stored);
  const out = registry.upcast(stored);
  assert.is(calls, 1);
  assert.is(out['FeeType'], 'MONTHLY');
  assert.equal(registry.upcast(stored), out);
  assert.is(calls, 2);
});

test.run();
