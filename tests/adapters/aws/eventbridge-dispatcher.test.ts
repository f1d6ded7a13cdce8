// EventBridgeDispatcher: entry shape, batching by count and size, partial-failure resends, pointer events.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventBridgeClient, EventBridgeServiceException, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { entrySize, EventBridgeDispatcher } from '../../../adapters/aws/eventbridge-dispatcher.ts';
import { toBusEntry } from '../../../domain/bus.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, eventKey, serializeEvent } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { SAMPLES } from '../../support/samples.ts';

const client = new EventBridgeClient({ region: 'eu-west-1' });
const bus = mockClient(client);
const retry = { sleep: async () => {} };
const dispatcher = (extra: { maxRequestBytes?: number } = {}) => new EventBridgeDispatcher({ client, eventBusName: 'lake-bus', bucket: 'lake', retry, ...extra });
const events = generateEvents({ accounts: 5, days: 1, eventsPerDay: 23, start: 1_700_000_000 });
const sent = () => bus.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
const ok = (n: number) => ({ FailedEntryCount: 0, Entries: Array.from({ length: n }, (_, i) => ({ EventId: `id-${i}` })) });
const entryFor = (e: DomainEvent): PutEventsRequestEntry => ({
  EventBusName: 'lake-bus', Source: 'eventlake', DetailType: e.EventType, Time: new Date(e.EventTimeStamp * 1000), Detail: serializeEvent(e),
});

const test = suite('EventBridgeDispatcher');
test.before.each(() => { bus.reset(); });

test('an event becomes one entry: source eventlake, detail-type EventType, canonical detail, event time', async () => {
  bus.on(PutEventsCommand).resolves(ok(1));
  const outcomes = await dispatcher().publish([SAMPLES.cash_deposit!]);
  assert.equal(sent(), [[entryFor(SAMPLES.cash_deposit!)]]);
  assert.equal(outcomes, [{ id: eventId(SAMPLES.cash_deposit!), status: 'published' }]);
});

test('entries carry what the local dispatcher matches: source, detail-type, detail and time of the bus envelope', async () => {
  bus.on(PutEventsCommand).resolves(ok(1));
  await dispatcher().publish([SAMPLES.inter_account_transfer!]);
  const [entry] = sent()[0]!;
  const local = toBusEntry(SAMPLES.inter_account_transfer!);
  assert.equal([entry?.Source, entry?.DetailType, JSON.parse(entry?.Detail ?? ''), entry?.Time?.toISOString().replace('.000Z', 'Z')],
    [local.source, local['detail-type'], local.detail, local.time]);
});

test('entry size is counted as EventBridge documents it: 14 for Time plus UTF-8 bytes', () => {
  assert.is(entrySize({ Time: new Date(), Source: 'eventlake', DetailType: 'x', Detail: '{"a":"é"}', Resources: ['r1'] }), 14 + 9 + 1 + 10 + 2);
});

test('requests hold at most 10 entries, in order', async () => {
  bus.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ok(input.Entries.length));
  const outcomes = await dispatcher().publish(events);
  assert.equal(sent().map((b) => b.length), [10, 10, events.length - 20]);
  assert.equal(sent().flat().map((e) => e.Detail), events.map(serializeEvent));
  assert.ok(outcomes.every((o) => o.status === 'published'));
});

test('requests stay below the size limit by summed entry size', async () => {
  bus.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ok(input.Entries.length));
  const limit = 1200;
  await dispatcher({ maxRequestBytes: limit }).publish(events.slice(0, 10));
  const sizes = sent().map((b) => b.reduce((n, e) => n + entrySize(e), 0));
  assert.ok(sent().length > 1, 'expected more than one request');
  assert.ok(sizes.every((s) => s < limit), `sizes ${sizes.join(',')}`);
  assert.is(sent().flat().length, 10);
});

test('after a partial failure only the failed entries are sent again', async () => {
  const three = events.slice(0, 3);
  bus.on(PutEventsCommand)
    .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }, { EventId: 'c' }] })
    .resolves(ok(1));
  const outcomes = await dispatcher().publish(three);
  assert.equal(sent(), [three.map(entryFor), [entryFor(three[1]!)]]);
  assert.equal(outcomes.map((o) => o.status), ['published', 'published', 'published']);
});

test('an entry rejected for a reason retrying cannot fix is failed at once, with its error code', async () => {
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'MalformedDetail', ErrorMessage: 'bad' }] });
  const outcomes = await dispatcher().publish(events.slice(0, 2));
  assert.is(sent().length, 1);
  assert.equal(outcomes[1], { id: eventId(events[1]!), status: 'failed', error: 'MalformedDetail: bad' });
});

test('an entry still throttled after every attempt is reported failed', async () => {
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow' }] });
  const [outcome] = await dispatcher().publish(events.slice(0, 1));
  assert.is(sent().length, 6);
  assert.equal(outcome?.status, 'failed');
});

test('a throttled request is resent whole; a denied one fails every event of the batch', async () => {
  const throttled = new EventBridgeServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
  const denied = new EventBridgeServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'no' });
  bus.on(PutEventsCommand).rejectsOnce(throttled).resolvesOnce(ok(10)).rejects(denied);
  const outcomes = await dispatcher().publish(events.slice(0, 12));
  assert.equal(sent().map((b) => b.length), [10, 10, 2]);
  assert.equal(outcomes.map((o) => o.status), [...Array(10).fill('published'), 'failed', 'failed']);
  assert.is(outcomes[11]?.error, 'AccessDeniedException: no');
});

test('an event too large for an entry is sent as a pointer to its object', async () => {
  bus.on(PutEventsCommand).resolves(ok(1));
  const big = { ...SAMPLES.cash_deposit!, Reference: 'x'.repeat(2000) };
  await dispatcher({ maxRequestBytes: 1000 }).publish([big]);
  const [entry] = sent()[0]!;
  assert.equal(JSON.parse(entry?.Detail ?? ''), {
    pointer: { bucket: 'lake', key: eventKey(big) }, EventType: 'cash_deposit', RequestId: big.RequestId, EventTimeStamp: big.EventTimeStamp,
  });
  assert.is(entry?.DetailType, 'cash_deposit');
});

test.run();
