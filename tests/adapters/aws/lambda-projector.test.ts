// The projector Lambda's logic: bus events (inline or pointers, direct or via SQS) applied exactly once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeDispatcher } from '../../../adapters/aws/eventbridge-dispatcher.ts';
import type { BusEvent } from '../../../adapters/aws/lambda/envelopes.ts';
import { createProjector } from '../../../adapters/aws/lambda/create-projector.ts';
import { indexEntryOf } from '../../../adapters/aws/lambda/create-indexer.ts';
import type { LambdaLogger } from '../../../adapters/aws/lambda/observability.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { toBusEntry } from '../../../domain/bus.ts';
import { EventNotFoundError, InvalidArgumentError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, eventKey } from '../../../domain/event.ts';
import type { IndexEntry } from '../../../domain/ports/event-index.ts';
import type { EventLocation } from '../../../domain/ports/event-log.ts';
import { applyToState, emptyState } from '../../../domain/projection.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';

const deposit = SAMPLES.cash_deposit!;
const withdrawal = SAMPLES.cash_withdrawal!;
const NOW_MS = (deposit.EventTimeStamp + 90) * 1000;
const busEvent = (e: DomainEvent) => toBusEntry(e) as unknown as BusEvent;
const quiet: LambdaLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function sqs(records: { body: string; receives?: number }[]): SQSEvent {
  return {
    Records: records.map(({ body, receives }, i) => ({
      messageId: `m${i}`, receiptHandle: `h${i}`, body, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q', awsRegion: 'eu-west-1',
      attributes: { ApproximateReceiveCount: String(receives ?? 1), SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {},
    })),
  };
}

/**
 * A projector over the reference fold (the semantics every store must have), with a log of stored events and an index
 * of the samples and those (the indexer's entries): every event these tests deliver is in the log.
 */
function harness(stored: DomainEvent[] = []) {
  const state = emptyState();
  const index = new Map<string, IndexEntry>([...Object.values(SAMPLES), ...stored].map((event) => {
    const entry = indexEntryOf({ event, location: { key: eventKey(event) } });
    return [entry.id, { ...entry, position: 1 }];
  }));
  const metrics: [string, number][] = [];
  const reads: EventLocation[] = [];
  const handler = createProjector({
    apply: async (events) => events.map((e) => ({ id: eventId(e), status: applyToState(state, balancesProjection, e) })),
    log: {
      read: async (location) => {
        reads.push(location);
        const found = stored.find((e) => eventKey(e) === location.key);
        if (!found) throw new EventNotFoundError(location.key);
        return found;
      },
    },
    index: { get: async (id) => index.get(id) },
    logger: quiet,
    metrics: { addMetric: (name, _unit, value) => { metrics.push([name, value]); } },
    clock: () => NOW_MS,
    maxReceiveCount: 3,
  });
  return { handler, state, metrics, reads };
}

const test = suite('projector handler');

test('a bus event is applied and counted, with its replay lag in seconds', async () => {
  const h = harness();
  const out = await h.handler(busEvent(deposit));
  assert.equal(out, [{ id: eventId(deposit), status: 'applied' }]);
  assert.is(h.state.counters.get('DE44-5001-0517'), 12345n);
  assert.equal(h.metrics, [['EventsApplied', 1], ['ReplayLagSeconds', 90]]);
});

test('a duplicate delivery leaves balances unchanged and is counted as a duplicate', async () => {
  const h = harness();
  await h.handler(busEvent(deposit));
  const again = await h.handler(busEvent(deposit));
  assert.equal(again, [{ id: eventId(deposit), status: 'duplicate' }]);
  assert.is(h.state.counters.get('DE44-5001-0517'), 12345n);
  assert.ok(h.metrics.some(([name]) => name === 'EventsDuplicate'));
});

test('what EventBridgeDispatcher sends, including a pointer for a large event, the projector applies', async () => {
  const client = new EventBridgeClient({ region: 'eu-west-1' });
  const bus = mockClient(client);
  bus.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));
  const big = { ...withdrawal, Reference: 'r'.repeat(3000) };
  await new EventBridgeDispatcher({ client, eventBusName: 'b', bucket: 'lake', maxRequestBytes: 2000 }).publish([deposit, big]);
  const delivered = bus.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []).map((entry) => ({
    ...busEvent(deposit), source: entry.Source!, 'detail-type': entry.DetailType!, detail: JSON.parse(entry.Detail!) as unknown,
  }));
  const h = harness([big]);
  for (const event of delivered) await h.handler(event);
  assert.equal(h.reads, [{ key: eventKey(big) }]);
  assert.equal([...h.state.applied.keys()].sort(), [eventId(deposit), eventId(big)].sort());
});

test('a pointer to an object holding another event is refused', async () => {
  const h = harness([withdrawal]);
  const pointer = { pointer: { bucket: 'lake', key: eventKey(withdrawal) }, EventType: 'cash_deposit', RequestId: deposit.RequestId, EventTimeStamp: deposit.EventTimeStamp };
  await rejects(() => h.handler({ ...busEvent(deposit), detail: pointer }), InvalidArgumentError);
  assert.is(h.state.applied.size, 0);
});

test('a detail that is not an event is refused', async () => {
  const h = harness();
  await rejects(() => h.handler({ ...busEvent(deposit), detail: { hello: 'world' } }), InvalidArgumentError);
});

test('from SQS, only failed records are reported, and the others are applied', async () => {
  const h = harness();
  const out = await h.handler(sqs([{ body: JSON.stringify(toBusEntry(deposit)) }, { body: '{"detail-type":"x","detail":{}}' }, { body: JSON.stringify(toBusEntry(withdrawal)) }]));
  assert.equal(out, { batchItemFailures: [{ itemIdentifier: 'm1' }] });
  assert.is(h.state.applied.size, 2);
});

test('a record failing on its last delivery is counted as dead-lettered', async () => {
  const h = harness();
  await h.handler(sqs([{ body: JSON.stringify(toBusEntry(deposit)) }, { body: 'not json', receives: 2 }, { body: 'still not json', receives: 3 }]));
  assert.equal(h.metrics.filter(([name]) => name === 'EventsDeadLettered'), [['EventsDeadLettered', 1]]);
});

test.run();
