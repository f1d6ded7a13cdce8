// The projector applies only events the log holds: each bus event is vouched for against the index (DynamoDbEventIndex
// on a mocked client, entries as the indexer writes them) before it is applied; a forged or altered one is refused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import type { Item } from '../../../adapters/aws/dynamodb-codec.ts';
import { guardItem, toItem } from '../../../adapters/aws/dynamodb-index-items.ts';
import type { BusEvent } from '../../../adapters/aws/lambda/envelopes.ts';
import { createProjector } from '../../../adapters/aws/lambda/create-projector.ts';
import { indexEntryOf } from '../../../adapters/aws/lambda/create-indexer.ts';
import { INDEX_ATTR as A } from '../../../adapters/aws/table-keys.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { toBusEntry } from '../../../domain/bus.ts';
import { EventNotFoundError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, eventKey } from '../../../domain/event.ts';
import { EventNotInLogError } from '../../../domain/log-membership-errors.ts';
import { applyToState, emptyState } from '../../../domain/projection.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';

const real = SAMPLES.cash_deposit!;
const other = SAMPLES.cash_withdrawal!;
/** The security review's forgery: the real event's identity, a million deposited, in no log object. */
const forged: DomainEvent = { ...real, Amount: '1000000.00' };
const ACCOUNT = 'DE44-5001-0517';
const fromAttacker = (e: DomainEvent) => ({ ...toBusEntry(e, { account: '444455556666', region: 'eu-west-1' }), id: 'forged-bus-id' }) as unknown as BusEvent;
const published = (e: DomainEvent) => toBusEntry(e) as unknown as BusEvent;

/** A projector over the reference fold, an in-memory log, and the index table behind a mocked DynamoDB client. */
function harness() {
  const state = emptyState();
  const metrics: string[] = [];
  const errors: Record<string, unknown>[] = [];
  const objects = new Map<string, DomainEvent>();
  const items = new Map<string, Item>();
  const client = new DynamoDBClient({ region: 'eu-west-1' });
  const ddb = mockClient(client);
  ddb.on(GetItemCommand).callsFake((input: { Key: Item }) => ({ Item: items.get(`${input.Key[A.hour]!.S}|${input.Key[A.sortKey]!.S}`) }));
  const handler = createProjector({
    apply: async (events) => events.map((e) => ({ id: eventId(e), status: applyToState(state, balancesProjection, e) })),
    log: {
      read: async (location) => {
        const found = objects.get(location.key);
        if (!found) throw new EventNotFoundError(location.key);
        return found;
      },
    },
    index: new DynamoDbEventIndex({ client, tableName: 'index' }),
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: (_m, ...attrs) => { errors.push(Object.assign({}, ...attrs)); } },
    metrics: { addMetric: (name) => { metrics.push(name); } },
    maxReceiveCount: 3,
  });
  /** What emit and the indexer leave: the object in the log, its entry (with the indexer's digest unless `undigested`). */
  function store(e: DomainEvent, options: { key?: string; undigested?: boolean } = {}): void {
    const key = options.key ?? eventKey(e);
    objects.set(key, e);
    const entry = indexEntryOf({ event: e, location: { key } });
    const { digest: _digest, ...undigested } = entry;
    const item = toItem(options.undigested ? undigested : entry, 1, 4);
    items.set(`${item[A.hour]!.S}|${item[A.sortKey]!.S}`, item);
    const guard = guardItem(item);
    items.set(`${guard[A.hour]!.S}|${guard[A.sortKey]!.S}`, guard);
  }
  return { handler, state, metrics, errors, objects, store, ddb };
}

const test = suite('projector vouching');

test('a forged event the index does not hold is refused, not applied, logged with its sender and counted', async () => {
  const h = harness();
  const error = await rejects(() => h.handler(fromAttacker(forged)), EventNotInLogError);
  assert.is(error.code, 'EVENT_NOT_IN_LOG');
  assert.is(error.mismatch, 'unindexed');
  assert.match(error.message, eventId(real));
  assert.is(h.state.applied.size, 0);
  assert.is(h.state.counters.get(ACCOUNT), undefined);
  assert.equal(h.metrics, ['EventsNotInLog']);
  assert.equal(h.errors.map((e) => [e.busEventId, e.source, e.account, e.eventId, e.errorCode]), [['forged-bus-id', 'eventlake', '444455556666', eventId(real), 'EVENT_NOT_IN_LOG']]);
});

test('after a refused forgery, the real event of that identity is applied, not taken for a duplicate', async () => {
  const h = harness();
  await rejects(() => h.handler(fromAttacker(forged)), EventNotInLogError);
  h.store(real);
  assert.equal(await h.handler(published(real)), [{ id: eventId(real), status: 'applied' }]);
  assert.is(h.state.counters.get(ACCOUNT), 12345n);
});

test('an event whose content differs from its indexed digest is refused and not applied', async () => {
  const h = harness();
  h.store(real);
  const error = await rejects(() => h.handler(fromAttacker(forged)), EventNotInLogError);
  assert.is(error.mismatch, 'digest');
  assert.match(error.message, eventKey(real));
  assert.is(h.state.applied.size, 0);
});

test('an indexed event is applied as before, looked up with consistent reads', async () => {
  const h = harness();
  h.store(real);
  assert.equal(await h.handler(published(real)), [{ id: eventId(real), status: 'applied' }]);
  const lookups = h.ddb.commandCalls(GetItemCommand).map((c) => c.args[0].input.ConsistentRead);
  assert.ok(lookups.length > 0 && lookups.every((consistent) => consistent === true));
});

test('an event indexed before content digests is vouched for by the stored bytes', async () => {
  const h = harness();
  h.store(real, { undigested: true });
  const error = await rejects(() => h.handler(fromAttacker(forged)), EventNotInLogError);
  assert.is(error.mismatch, 'bytes');
  assert.is(h.state.applied.size, 0);
  assert.equal(await h.handler(published(real)), [{ id: eventId(real), status: 'applied' }]);
});

test('a pointer to a copy the indexer never published (other bytes at another key) is refused', async () => {
  const h = harness();
  h.store(real);
  const elsewhere = eventKey({ ...real, EventTimeStamp: real.EventTimeStamp + 7200 });
  h.objects.set(elsewhere, forged);
  const pointer = { pointer: { bucket: 'lake', key: elsewhere }, EventType: real.EventType, RequestId: real.RequestId, EventTimeStamp: real.EventTimeStamp };
  await rejects(() => h.handler({ ...fromAttacker(real), detail: pointer }), EventNotInLogError);
  assert.is(h.state.applied.size, 0);
});

test('from SQS, a refused record is logged, counted and deleted, not retried, and the others are applied', async () => {
  const h = harness();
  h.store(other);
  const record = (body: unknown, i: number, receives: number) => ({
    messageId: `m${i}`, receiptHandle: `h${i}`, body: JSON.stringify(body), md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q', awsRegion: 'eu-west-1',
    attributes: { ApproximateReceiveCount: String(receives), SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {},
  });
  const batch: SQSEvent = { Records: [record(fromAttacker(forged), 0, 1), record(published(other), 1, 1)] };
  assert.equal(await h.handler(batch), { batchItemFailures: [] });
  assert.equal([...h.state.applied.keys()], [eventId(other)]);
  assert.equal(h.metrics.filter((m) => m !== 'EventsApplied' && m !== 'ReplayLagSeconds'), ['EventsNotInLog']);
  assert.equal(h.errors.map((e) => [e.messageId, e.busEventId, e.errorCode]), [['m0', 'forged-bus-id', 'EVENT_NOT_IN_LOG']]);
});

test.run();
