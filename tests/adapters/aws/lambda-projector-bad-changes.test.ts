// The projector and an event whose rule returns Changes the check refuses: every delivery fails alike, as with
// CounterRangeError. It still fails its delivery (SQS moves it to the DLQ after maxReceiveCount: the projector has no
// dead-letter path of its own), but is logged as dead-lettered naming the projection and event, counted once.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SQSEvent } from 'aws-lambda';
import { createProjector } from '../../../adapters/aws/lambda/create-projector.ts';
import { indexEntryOf } from '../../../adapters/aws/lambda/create-indexer.ts';
import { toBusEntry } from '../../../domain/bus.ts';
import { eventId, eventKey, type DomainEvent } from '../../../domain/event.ts';
import { checkChanges } from '../../../domain/projection-changes-check.ts';
import { SAMPLES } from '../../support/samples.ts';

const test = suite('projector handler: Changes the check refuses');
const bad = SAMPLES.incoming_payment!;
const body = (e: DomainEvent) => JSON.stringify(toBusEntry(e));

const good = SAMPLES.cash_deposit!;

/** The bad event (m0), received `receives` times, and a good one beside it (a batch of failures only is thrown whole). */
function sqs(receives: number): SQSEvent {
  return {
    Records: [bad, good].map((e, i) => ({
      messageId: `m${i}`, receiptHandle: `h${i}`, body: body(e), md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q', awsRegion: 'eu-west-1',
      attributes: { ApproximateReceiveCount: String(i === 0 ? receives : 1), SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {},
    })),
  };
}

/** A projector whose rule answers a string delta for the bad event, as a JavaScript rule might. */
function harness() {
  const index = new Map(Object.values(SAMPLES).map((event) => {
    const entry = indexEntryOf({ event, location: { key: eventKey(event) } });
    return [entry.id, { ...entry, position: 1 }] as const;
  }));
  const metrics: string[] = [];
  const errors: { message: string; attributes: Record<string, unknown> }[] = [];
  const handler = createProjector({
    apply: async (events) => events.map((e) => {
      if (eventId(e) === eventId(bad)) checkChanges('balances', e, { counters: [{ key: 'A', delta: '5' as unknown as bigint }] });
      return { id: eventId(e), status: 'applied' as const };
    }),
    log: { read: async () => { throw new Error('no pointers here'); } },
    index: { get: async (id) => index.get(id) },
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: (message, ...attributes) => { errors.push({ message, attributes: Object.assign({}, ...attributes) }); } },
    metrics: { addMetric: (name) => { metrics.push(name); } },
    maxReceiveCount: 3,
  });
  return { handler, errors, deadLettered: () => metrics.filter((name) => name === 'EventsDeadLettered').length };
}

test('it is reported failed and counted as dead-lettered on its first delivery', async () => {
  const h = harness();
  assert.equal(await h.handler(sqs(1)), { batchItemFailures: [{ itemIdentifier: 'm0' }] });
  assert.is(h.deadLettered(), 1);
});

test('it is not counted again on a later delivery', async () => {
  const h = harness();
  await h.handler(sqs(2));
  assert.is(h.deadLettered(), 0);
});

test('it is logged as dead-lettered, naming the projection, the event and PROJECTION_RULE_FAILED', async () => {
  const h = harness();
  await h.handler(sqs(1));
  assert.match(h.errors[0]!.message, /^dead-lettered: its projection's rule returns Changes the check refuses/);
  const { projection, eventId: id, errorCode } = h.errors[0]!.attributes;
  assert.equal([projection, id, errorCode], ['balances', eventId(bad), 'PROJECTION_RULE_FAILED']);
});

test.run();
