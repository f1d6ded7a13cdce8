// What emit() stores is what it validated: a JS caller's object that changes after the call (mutated while the
// append awaits, a Proxy or getter answering differently on a later read) cannot put an event no schema accepted
// into the log, where replay and every projection would then refuse it.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { variant } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('api: emit() stores the event it validated');

/** The event stored for the only result of an emit, read back from the log. */
async function storedOf(local: LocalEventlake, id: string): Promise<Record<string, unknown>> {
  for await (const e of local.index.between({ from: 0, to: 4_102_444_801 })) if (e.id === id) return { ...(await local.log.read(e.location)) };
  throw new Error(`${id} is not indexed`);
}

test('an event mutated after emit() is called is stored as it was when validated', () =>
  withLake(async (local) => {
    const event = variant('cash_deposit', {});
    const emitted = local.lake.emit(event);
    event['Amount'] = '999999.00';
    event['Currency'] = { 'no-such-bill': 1 };
    const [result] = await emitted;
    const stored = await storedOf(local, result!.id);
    assert.is(stored['Amount'], '123.45');
    assert.equal(stored['Currency'], variant('cash_deposit', {})['Currency']);
  }));

test('a Proxy whose field reads change is stored with the values that were validated', () =>
  withLake(async (local) => {
    let reads = 0;
    const event = new Proxy(variant('cash_deposit', {}), {
      get: (target, key, receiver) => (key === 'Amount' && reads++ > 0 ? 'garbage' : Reflect.get(target, key, receiver)),
    });
    const [result] = await local.lake.emit(event);
    assert.is((await storedOf(local, result!.id))['Amount'], '123.45');
  }));

test('a getter that answers another account on a later read does not change the stored account', () =>
  withLake(async (local) => {
    let reads = 0;
    const event = variant('cash_deposit', {});
    Object.defineProperty(event, 'TargetAccount', { enumerable: true, get: () => (reads++ === 0 ? 'DE44-5001-0517' : 'not an account') });
    const [result] = await local.lake.emit(event);
    assert.is((await storedOf(local, result!.id))['TargetAccount'], 'DE44-5001-0517');
  }));

test('an own "__proto__" field is still refused by a closed schema, naming the field', () =>
  withLake(async (local) => {
    const event = JSON.parse(JSON.stringify(variant('cash_deposit', {})).replace('{', '{"__proto__":{"Amount":"1.00"},')) as unknown;
    const error = await local.lake.emit(event).then(() => undefined, (e: Error) => e);
    assert.match(String(error?.message), '/__proto__: is not a field of this event type');
  }));

test.run();
