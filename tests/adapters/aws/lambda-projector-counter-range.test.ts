// The projector and an event whose change takes a counter beyond its store's range (CounterRangeError): the event's
// fault, not the store's. It still fails its delivery (the dead-letter queue is the only record of a dead letter on
// AWS), is logged as dead-lettered with the projection, counter and event, and is counted once, not per delivery.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SQSEvent } from 'aws-lambda';
import { counterRangeError, DYNAMODB_COUNTER_MAX } from '../../../adapters/aws/dynamodb-counter-range.ts';
import { createProjector } from '../../../adapters/aws/lambda/create-projector.ts';
import { indexEntryOf } from '../../../adapters/aws/lambda/create-indexer.ts';
import type { BusEvent } from '../../../adapters/aws/lambda/envelopes.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { toBusEntry } from '../../../domain/bus.ts';
import { CounterRangeError } from '../../../domain/errors.ts';
import { eventId, eventKey, type DomainEvent } from '../../../domain/event.ts';
import { applyToState, emptyState } from '../../../domain/projection.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';

const test = suite('projector handler: a counter beyond its store\'s range');
const deposit = SAMPLES.cash_deposit!;
/** The event whose change the store refuses. */
const huge = SAMPLES.incoming_payment!;
const body = (e: DomainEvent) => JSON.stringify(toBusEntry(e));

function sqs(records: { body: string; receives?: number }[]): SQSEvent {
  return {
    Records: records.map(({ body, receives }, i) => ({
      messageId: `m${i}`, receiptHandle: `h${i}`, body, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q', awsRegion: 'eu-west-1',
      attributes: { ApproximateReceiveCount: String(receives ?? 1), SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {},
    })),
  };
}

/** A projector whose store refuses `huge` as DynamoDbProjectionStore does, and applies every other event. */
function harness() {
  const state = emptyState();
  const index = new Map(Object.values(SAMPLES).map((event) => {
    const entry = indexEntryOf({ event, location: { key: eventKey(event) } });
    return [entry.id, { ...entry, position: 1 }] as const;
  }));
  const metrics: [string, number][] = [];
  const errors: { message: string; attributes: Record<string, unknown> }[] = [];
  const handler = createProjector({
    apply: async (events) => events.map((e) => {
      if (eventId(e) === eventId(huge)) throw counterRangeError('balances', String(e['TargetAccount']), eventId(e), DYNAMODB_COUNTER_MAX, 1n);
      return { id: eventId(e), status: applyToState(state, balancesProjection, e) };
    }),
    log: { read: async () => { throw new Error('no pointers here'); } },
    index: { get: async (id) => index.get(id) },
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: (message, ...attributes) => { errors.push({ message, attributes: Object.assign({}, ...attributes) }); } },
    metrics: { addMetric: (name, _unit, value) => { metrics.push([name, value]); } },
    maxReceiveCount: 3,
  });
  const deadLettered = () => metrics.filter(([name]) => name === 'EventsDeadLettered').length;
  return { handler, state, deadLettered, errors };
}

test('from SQS, the refused record is reported failed, so the queue moves it to its DLQ, and the others are applied', async () => {
  const h = harness();
  const out = await h.handler(sqs([{ body: body(huge) }, { body: body(deposit) }]));
  assert.equal(out, { batchItemFailures: [{ itemIdentifier: 'm0' }] });
  assert.equal([...h.state.applied.keys()], [eventId(deposit)]);
});

test('it is counted as dead-lettered on its first delivery, since every later one fails alike', async () => {
  const h = harness();
  await h.handler(sqs([{ body: body(huge) }, { body: body(deposit) }]));
  assert.is(h.deadLettered(), 1);
});

test('it is not counted again on a later delivery, the last one included', async () => {
  const h = harness();
  await h.handler(sqs([{ body: body(huge), receives: 2 }, { body: body(huge), receives: 3 }, { body: body(deposit) }]));
  assert.is(h.deadLettered(), 0);
});

test('it is logged as dead-lettered, naming the projection, the counter, the event and COUNTER_OUT_OF_RANGE', async () => {
  const h = harness();
  await h.handler(sqs([{ body: body(huge) }, { body: body(deposit) }]));
  assert.is(h.errors.length, 1);
  assert.match(h.errors[0]!.message, /^dead-lettered: the event's value can never fit/);
  const { projection, counter, eventId: id, errorCode, messageId } = h.errors[0]!.attributes;
  assert.equal([projection, counter, id, errorCode, messageId], ['balances', huge['TargetAccount'], eventId(huge), 'COUNTER_OUT_OF_RANGE', 'm0']);
});

test('a direct invocation fails with it (Lambda retries, then its DLQ) and logs it as dead-lettered, uncounted', async () => {
  const h = harness();
  const error = await rejects(() => h.handler(toBusEntry(huge) as unknown as BusEvent), CounterRangeError);
  assert.is(error.range.eventId, eventId(huge));
  assert.match(h.errors[0]!.message, /^dead-lettered: .*Lambda's retries fail alike/);
  assert.is(h.deadLettered(), 0);
});

test.run();
