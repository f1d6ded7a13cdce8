// The AWS projector's apply (liveApply) checks the Changes a rule returns before the DynamoDB store writes them, as
// local dispatch does. Before, DynamoDB's ADD took a string delta '5' as 5 (the SQLite store concatenated it), and a
// float delta 1.5 failed as STORAGE_FAILED, a rule's bug called a storage failure. DynamoDB Local for the store.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { liveApply } from '../../../adapters/aws/lambda/projector-setup.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { ProjectionRuleError } from '../../../domain/projection-errors.ts';
import type { Changes, Projection } from '../../../domain/projection.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

const deposit = (requestId: string): DomainEvent => ({
  EventType: 'cash_deposit', SchemaVersion: 1, RequestId: requestId, EventTimeStamp: 1714000000, TargetAccount: 'DE44-5001-0517',
  Amount: '10.00', LocationType: 'ATM', Currency: { '10-euro-bills': 1 }, Verified: false,
});
const GOOD = deposit('0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e');
const BAD = deposit('7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f');

const test = suite<{ control: string }>('AWS projector: checked Changes', { control: '' });
test.before(async (ctx) => {
  ctx.control = await (await dynamoDb()).createTable(CONTROL_TABLE, 'control');
});

/** Delivers GOOD then BAD to a projection adding 5n per event, but `bad` for BAD; the error, c and BAD's record after. */
async function delivered(ctx: { control: string }, name: string, bad: unknown) {
  const db = await dynamoDb();
  const store = new DynamoDbProjectionStore({ client: db.client, controlTableName: ctx.control, tablePrefix: db.uniqueName('chk'), tableSettings: { pointInTimeRecovery: db.pitr } });
  const projection: Projection = {
    name, version: 1, handles: () => true, related: () => [],
    decide: (e): Changes => (e.RequestId === BAD.RequestId ? bad as Changes : { counters: [{ key: 'c', delta: 5n }] }),
  };
  const deliver = liveApply(store, projection, (e) => e);
  await deliver([GOOD]);
  const error = await rejects(() => deliver([BAD]), ProjectionRuleError);
  const generation = await store.liveGeneration(name);
  return { error, c: await store.counter(name, generation, 'c'), record: await store.appliedRecord(name, generation, eventId(BAD)) };
}

test('a string delta fails its delivery with ProjectionRuleError naming the field; DynamoDB adds nothing of it', async (ctx) => {
  const { error, c, record } = await delivered(ctx, 'strd', { counters: [{ key: 'c', delta: '5' }] });
  assert.equal([error.code, error.projection, error.eventId], ['PROJECTION_RULE_FAILED', 'strd', eventId(BAD)]);
  assert.match(error.ruleError, "decide returned counters[0].delta = '5' (a string): return a bigint");
  assert.equal([c, record], [5n, undefined]);
});

test('a float delta fails its delivery with ProjectionRuleError, not STORAGE_FAILED', async (ctx) => {
  const { error, c, record } = await delivered(ctx, 'fltd', { counters: [{ key: 'c', delta: 1.5 }] });
  assert.match(error.ruleError, 'decide returned counters[0].delta = 1.5 (a number): return a bigint');
  assert.equal([c, record], [5n, undefined]);
});

test('a bigint in a row value fails its delivery with ProjectionRuleError naming its path', async (ctx) => {
  const { error, c, record } = await delivered(ctx, 'rowb', { counters: [{ key: 'c', delta: 5n }], rows: [{ key: 'r', partition: 'p', value: { n: 1n } }] });
  assert.match(error.ruleError, 'decide returned rows[0].value.n = 1n (a bigint)');
  assert.equal([c, record], [5n, undefined]);
});

test.run();
