// DynamoDbProjectionStore and a counter leaving DynamoDB's 38 digits: the apply fails with CounterRangeError naming
// the event (not a StorageError of DynamoDB's ValidationException), nothing of that event is written, and the store
// goes on. Against DynamoDB Local, which refuses such a number as DynamoDB does.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DYNAMODB_COUNTER_MAX, DYNAMODB_COUNTER_MIN } from '../../../adapters/aws/dynamodb-counter-range.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { CounterRangeError } from '../../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import type { Projection } from '../../../domain/projection.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { SAMPLES } from '../../support/samples.ts';

const test = suite('DynamoDbProjectionStore: a counter beyond 38 digits');

let seq = 0;
/**
 * An event whose change of counter `key` is `delta`, with a change of `key`-other and a row in partition `key` too. Each
 * test has counters of its own in one generation: a table per test cost a second each on DynamoDB Local.
 */
const change = (key: string, delta: bigint): DomainEvent => ({
  ...SAMPLES['incoming_payment']!, RequestId: `018f2b6c-0000-7000-8000-${String(++seq).padStart(12, '0')}`, TargetAccount: key, Amount: delta.toString(),
});
const big: Projection = {
  name: 'big', version: 1, handles: () => true, related: () => [],
  decide: (e) => {
    const key = String(e['TargetAccount']);
    return {
      counters: [{ key: `${key}-other`, delta: 1n }, { key, delta: BigInt(String(e['Amount'])) }],
      rows: [{ key: eventId(e), partition: key, value: { seen: true } }],
    };
  },
};

let store: DynamoDbProjectionStore;
test.before(async () => {
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  store = new DynamoDbProjectionStore({ client: db.client, controlTableName, tablePrefix: db.uniqueName('range'), tableSettings: { pointInTimeRecovery: db.pitr } });
});

const apply = (event: DomainEvent) => store.apply(big, 1, [event]);
const counter = (key: string) => store.counter('big', 1, key);
const refused = (event: DomainEvent) => rejects(() => apply(event), CounterRangeError);

test('a change that takes a counter past 10^38 - 1 is the event\'s CounterRangeError naming counter, event, value and change', async () => {
  await apply(change('up', DYNAMODB_COUNTER_MAX - 5n));
  const over = change('up', 10n);
  const error = await refused(over);
  assert.is(error.code, 'COUNTER_OUT_OF_RANGE');
  assert.equal([error.range.projection, error.range.key, error.range.eventId], ['big', 'up', eventId(over)]);
  assert.equal([error.range.stored, error.range.delta, error.range.max], [DYNAMODB_COUNTER_MAX - 5n, 10n, DYNAMODB_COUNTER_MAX]);
  assert.match(error.message, 'the range of a DynamoDB number (38 digits)');
});

test('nothing of the refused event is written: not its other counter, its row or its idempotency record', async () => {
  const first = change('none', DYNAMODB_COUNTER_MAX);
  await apply(first);
  const over = change('none', 1n);
  await refused(over);
  assert.equal([await counter('none'), await counter('none-other')], [DYNAMODB_COUNTER_MAX, 1n]);
  assert.equal((await store.rows('big', 1, 'none')).map((r) => r.key), [eventId(first)]);
  assert.is(await store.appliedRecord('big', 1, eventId(over)), undefined);
});

test('a change down past -(10^38 - 1) is refused alike', async () => {
  await apply(change('down', DYNAMODB_COUNTER_MIN + 1n));
  const error = await refused(change('down', -2n));
  assert.equal([error.range.stored, error.range.delta, error.range.min], [DYNAMODB_COUNTER_MIN + 1n, -2n, DYNAMODB_COUNTER_MIN]);
});

test('after a refusal the store applies the next events, up to the range\'s very end', async () => {
  await apply(change('next', DYNAMODB_COUNTER_MAX - 5n));
  await refused(change('next', 6n));
  const fits = change('next', 5n);
  assert.equal(await apply(fits), [{ id: eventId(fits), status: 'applied' }]);
  assert.is(await counter('next'), DYNAMODB_COUNTER_MAX);
});

test('a change beyond 38 digits on its own is refused before any write, naming the stored value', async () => {
  await apply(change('alone', -7n));
  const error = await refused(change('alone', 2n * DYNAMODB_COUNTER_MAX + 3n));
  assert.equal([error.range.stored, error.range.delta], [-7n, 2n * DYNAMODB_COUNTER_MAX + 3n]);
  assert.equal([await counter('alone'), await counter('alone-other')], [-7n, 1n]);
});

test.run();
