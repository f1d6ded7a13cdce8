// DynamoDbProjectionStore on DynamoDB Local: exactly-once transactions, reference semantics, generations, bigint counters.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { balancesProjection } from '../../../domain/balances.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { foldEvents, type Projection } from '../../../domain/projection.ts';
import { statementProjection } from '../../../projections/statement.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { SAMPLES } from '../../support/samples.ts';

const ALL = Object.values(SAMPLES) as DomainEvent[];

async function makeStore() {
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  return new DynamoDbProjectionStore({ client: db.client, controlTableName, tablePrefix: db.uniqueName('proj'), tableSettings: { pointInTimeRecovery: db.pitr } });
}

const counting = (n: number): Projection => ({
  name: 'wide', version: 1, handles: () => true, related: () => [],
  decide: () => ({ counters: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, delta: 1n })) }),
});

const test = suite('DynamoDbProjectionStore');

test('balances applied in any order, with duplicates, equal the reference fold', async () => {
  const store = await makeStore();
  const shuffled = [ALL[1]!, ALL[4]!, ALL[0]!, ALL[1]!, ALL[3]!, ALL[2]!, ALL[0]!];
  const outcomes = await store.apply(balancesProjection, 1, shuffled);
  assert.equal(outcomes.map((o) => o.status), ['applied', 'applied', 'applied', 'duplicate', 'applied', 'applied', 'duplicate']);
  assert.equal(await store.readState('balances', 1), foldEvents(balancesProjection, ALL));
});

test('a duplicate delivery leaves balances unchanged', async () => {
  const store = await makeStore();
  await store.apply(balancesProjection, 1, ALL);
  const before = await store.counters('balances', 1);
  assert.equal((await store.apply(balancesProjection, 1, [ALL[0]!]))[0]!.status, 'duplicate');
  assert.equal(await store.counters('balances', 1), before);
});

test('concurrent deliveries of one event apply it once', async () => {
  const store = await makeStore();
  await Promise.all(Array.from({ length: 5 }, () => store.apply(balancesProjection, 1, [SAMPLES['incoming_payment']!])));
  assert.is(await store.counter('balances', 1, 'DE44-5001-0517'), 12345n);
});

test('counters stay exact beyond 2^53 cents', async () => {
  const store = await makeStore();
  const big: Projection = { name: 'big', version: 1, handles: () => true, related: () => [], decide: () => ({ counters: [{ key: 'x', delta: 9_007_199_254_740_993n }] }) };
  await store.apply(big, 1, ALL.slice(0, 2));
  assert.is(await store.counter('big', 1, 'x'), 18_014_398_509_481_986n);
});

test('statement rows are read per partition in key order, and a row that changes partition moves', async () => {
  const store = await makeStore();
  const verify = { ...SAMPLES['verify_cash_deposit']!, TargetAccount: 'FR76-0001' };
  await store.apply(statementProjection, 1, [...ALL.filter((e) => e.EventType !== 'verify_cash_deposit'), verify]);
  const reference = foldEvents(statementProjection, [...ALL.filter((e) => e.EventType !== 'verify_cash_deposit'), verify]);
  assert.equal(await store.readState('statement', 1), reference);
  const fr = await store.rows('statement', 1, 'FR76-0001');
  assert.equal(fr.map((r) => r.key), [eventId(SAMPLES['cash_deposit']!)]);
  const de = (await store.rows('statement', 1, 'DE44-5001-0517')).map((r) => r.key);
  assert.equal(de, [...de].sort());
  assert.not.ok(de.includes(eventId(SAMPLES['cash_deposit']!)));
});

test('a replayed event is recorded as a replay', async () => {
  const store = await makeStore();
  await store.apply(balancesProjection, 1, [ALL[0]!], { replay: true });
  await store.apply(balancesProjection, 1, [ALL[2]!]);
  assert.equal(await store.appliedRecord('balances', 1, eventId(ALL[0]!)), { replay: true });
  assert.equal(await store.appliedRecord('balances', 1, eventId(ALL[2]!)), { replay: false });
  assert.is(await store.appliedRecord('balances', 1, 'nope'), undefined);
});

test('an event the projection does not handle is skipped and not recorded', async () => {
  const store = await makeStore();
  const none: Projection = { ...balancesProjection, name: 'none', handles: () => false };
  assert.equal((await store.apply(none, 1, [ALL[0]!]))[0]!.status, 'skipped');
  assert.is(await store.appliedRecord('none', 1, eventId(ALL[0]!)), undefined);
});

test('an event needing more than 100 writes fails clearly and writes nothing', async () => {
  const store = await makeStore();
  await rejects(() => store.apply(counting(100), 1, [ALL[0]!]), InvalidArgumentError);
  assert.is(await store.appliedRecord('wide', 1, eventId(ALL[0]!)), undefined);
  assert.equal((await store.apply(counting(99), 1, [ALL[0]!]))[0]!.status, 'applied');
});

test('generations are separate tables; promote switches the live pointer', async () => {
  const store = await makeStore();
  assert.is(await store.liveGeneration('balances'), 1);
  await store.apply(balancesProjection, 1, ALL);
  const next = await store.createGeneration('balances');
  assert.is(next, 2);
  assert.is(await store.liveGeneration('balances'), 1);
  assert.equal(await store.counters('balances', next), new Map());
  await store.apply(balancesProjection, next, ALL.slice(0, 1));
  await store.promote('balances', next);
  assert.is(await store.liveGeneration('balances'), 2);
  assert.is(await store.createGeneration('balances'), 3);
});

test('promoting a generation never created is refused', async () => {
  const store = await makeStore();
  await rejects(() => store.promote('balances', 2), InvalidArgumentError);
  await store.promote('balances', 1);
  assert.is(await store.liveGeneration('balances'), 1);
});

test('a dropped generation reads empty; the live one cannot be dropped', async () => {
  const store = await makeStore();
  const next = await store.createGeneration('balances');
  await store.apply(balancesProjection, next, ALL);
  await rejects(() => store.dropGeneration('balances', 1), InvalidArgumentError);
  await store.dropGeneration('balances', next);
  assert.equal(await store.readState('balances', next), foldEvents(balancesProjection, []));
});

test('a dropped generation cannot be promoted, and its number is not handed out again', async () => {
  const store = await makeStore();
  const next = await store.createGeneration('balances');
  await store.dropGeneration('balances', next);
  await rejects(() => store.promote('balances', next), InvalidArgumentError);
  assert.is(await store.createGeneration('balances'), next + 1);
});

test('a new generation is numbered above one that was written without being created', async () => {
  const store = await makeStore();
  await store.apply(balancesProjection, 2, ALL);
  assert.is(await store.createGeneration('balances'), 3);
});

test('a rebuild checkpoint is kept per generation', async () => {
  const store = await makeStore();
  assert.is(await store.getCheckpoint('balances', 1), undefined);
  await store.setCheckpoint('balances', 2, { after: 17, note: 'x' });
  assert.equal(await store.getCheckpoint('balances', 2), { after: 17, note: 'x' });
  assert.is(await store.getCheckpoint('balances', 1), undefined);
  assert.equal(await store.readState('balances', 2), foldEvents(balancesProjection, []));
});

test.run();
