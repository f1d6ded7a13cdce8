// The AWS pipeline end to end on local peers: emit through openAwsEventlake → the objects S3EventLog writes → S3's
// "Object Created" events → the indexer → its PutEvents entries → each as EventBridge delivers it to the projector →
// the DynamoDB projection → reads (runtime and CLI); then a compaction run and a rebuild from 0 through their handlers.
// Each handler's own suite feeds it the input it expects; this one feeds it what the previous one handed on.
//
// One stack for the file, built up step by step: each test states one rule of the chain at the point it is reached.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openAwsEventlake, type AwsEventlakeRuntime } from '../../adapters/aws/open-aws-eventlake.ts';
import { foldEvents } from '../../domain/projection.ts';
import { formatAmount } from '../../domain/money.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { EVENT_SOURCE } from '../../domain/bus.ts';
import type { ApplyOutcome } from '../../domain/ports/projection-store.ts';
import type { SQSBatchResponse } from 'aws-lambda';
import type { ScheduledCompactionReport } from '../../projections/compaction-schedule.ts';
import { stopS3 } from '../support/s3rver.ts';
import { busDelivery, pipelineStack, redriveBatch, type PipelineStack } from './pipeline-stack.ts';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsDeadLetterQueues } from '../../adapters/aws/sqs-dead-letter-queues.ts';
import { stackDeadLetterQueues } from '../../adapters/aws/stack-dead-letter-queues.ts';
import { MemorySqs } from '../support/fakes/memory-sqs.ts';

const HOUR = 3600;
const NOW = Math.floor(Date.now() / 1000);
/** Six hours of events, ending three hours ago: every hour is due for compaction (afterHours 1). */
const FIRST_HOUR = Math.floor(NOW / HOUR) * HOUR - 9 * HOUR;
// 100 (110 events with the verifications), about 17 an hour: emit's index lookup spans two BatchGets of 100 keys, and
// each bulk step has more to do than it runs at once (16 S3 puts, 8 index updates of an hour at compaction). No limit
// on the way (replay batches of 500, 1 MB Query pages, 1,000 keys a listing) was reached at 300 either.
const COUNT = 100;
// Reads start at FIRST_HOUR, not 0: an index no put has reached yet has no directory marker, and a range read then
// queries every hour of the range (from 0: half a million Queries), which turned a failed emit into a hang.
const ACCOUNTS = ['DE44-5001-0517', 'DE44-5001-0518', 'DE44-5001-0519', 'NL91-ABNA-0417'];

const rid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Event n of the run: deposits and incoming payments outweigh withdrawals, transfers and outgoing payments. */
function eventNo(n: number): DomainEvent {
  const base = { SchemaVersion: 1, RequestId: rid(n), EventTimeStamp: FIRST_HOUR + 60 + Math.floor((n * 6 * HOUR) / COUNT) };
  const account = ACCOUNTS[n % ACCOUNTS.length]!;
  const other = ACCOUNTS[(n + 1) % ACCOUNTS.length]!;
  const amount = `${(n % 17) + 1}.${String(n % 100).padStart(2, '0')}`;
  switch (n % 5) {
    case 0: return { ...base, EventType: 'cash_deposit', TargetAccount: account, Amount: `${(n % 17) + 50}.00`, LocationType: 'ATM', Verified: false, Currency: { '1-euro-bills': (n % 17) + 50 } } as DomainEvent;
    case 1: return { ...base, EventType: 'cash_withdrawal', SourceAccount: account, Amount: '20.00', LocationType: 'ATM', Currency: { '20-euro-bills': 1 } } as DomainEvent;
    case 2: return { ...base, EventType: 'incoming_payment', TargetAccount: account, Amount: amount, SourceInstitution: 'Bank', SourceAccount: 'EMP-0001' } as DomainEvent;
    case 3: return { ...base, EventType: 'inter_account_transfer', SourceAccount: account, TargetAccount: other, Amount: amount } as DomainEvent;
    default: return { ...base, EventType: 'outgoing_payment', SourceAccount: account, Amount: '1.50', TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00', Reference: 'rent' } as DomainEvent;
  }
}

/** The verification of a deposit (they share its RequestId), 30 s later, one euro less. */
function verificationOf(deposit: DomainEvent): DomainEvent {
  const euros = Number(deposit['Amount']) - 1;
  return {
    EventType: 'verify_cash_deposit', SchemaVersion: 1, RequestId: deposit.RequestId, EventTimeStamp: deposit.EventTimeStamp + 30,
    TargetAccount: deposit['TargetAccount'], Amount: `${euros}.00`, LocationType: 'ATM',
    Verified: true, VerifiedCurrency: { '1-euro-bills': euros }, VerifiedByEmployeeId: '1234567890', FinalFinding: 'one bill refused',
  } as DomainEvent;
}

const deposits = Array.from({ length: COUNT }, (_, i) => eventNo(i + 1));
/** Every other deposit is verified: a pair whose fold depends on which of the two the projector meets first. */
const events = [...deposits, ...deposits.filter((e, i) => e.EventType === 'cash_deposit' && i % 2 === 1).map(verificationOf)];
/** EventBridge does not keep order: the projector gets the entries in this fixed scramble (a verification often first). */
const scrambled = <T>(xs: readonly T[]): T[] => xs.map((x, i) => ({ x, k: (i * 7919) % xs.length })).sort((a, b) => a.k - b.k).map((p) => p.x);

interface Chain {
  stack: PipelineStack;
  lake: AwsEventlakeRuntime;
  delivered: number;
  /** S3's notifications of the one-event objects, kept for redelivery after compaction removed the objects. */
  notified: Awaited<ReturnType<PipelineStack['notifications']>>;
}
let chain: Chain;

/** Balances as a fold of `events` with the deployment's balances projection, formatted as reads answer them. */
function foldedBalances(stack: PipelineStack): Record<string, string> {
  const state = foldEvents(stack.projection, stack.deployment.registry.upcast ? events.map(stack.deployment.registry.upcast) : events);
  return Object.fromEntries([...state.counters.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, formatAmount(v)]));
}

/** Run the indexer on every notification, then the projector on every entry it published; returns the outcomes. */
async function deliverAll(stack: PipelineStack, from: number): Promise<ApplyOutcome[]> {
  chain.notified = await stack.notifications();
  for (const n of chain.notified) await stack.indexer(n);
  const outcomes: ApplyOutcome[] = [];
  for (const entry of scrambled(stack.entries.slice(from))) outcomes.push(...(await stack.projector(busDelivery(entry)) as ApplyOutcome[]));
  return outcomes;
}

/** Emit a copy of `template` as event n, a minute ago; the bus entries from `from` on are its, once it is indexed. */
async function emitLate(template: DomainEvent, n: number): Promise<{ from: number; notified: Chain['notified'] }> {
  const from = chain.stack.entries.length;
  const late = { ...template, RequestId: rid(n), EventTimeStamp: NOW - 60 } as DomainEvent;
  await chain.lake.lake.emit([late]);
  events.push(late);
  const notified = (await chain.stack.notifications()).filter((e) => (e.detail as { object: { key: string } }).object.key.includes(late.RequestId));
  return { from, notified };
}

const test = suite('the AWS pipeline, Lambda to Lambda');

/** Why the setup failed, if it did: uvu drops an error thrown in `before` (its runner returns from `finally`). */
let setupFailure: unknown;

test.before(async () => {
  let stack: PipelineStack | undefined;
  try {
    stack = await pipelineStack(FIRST_HOUR);
    const lake = await openAwsEventlake({ ...stack.openConfig, now: () => Date.now() }, {});
    chain = { stack, lake, delivered: 0, notified: [] };
  } catch (e) {
    setupFailure = e;
    stack?.bus.restore();
  }
});

// Each test fails with the setup's error (the first in full): reported, counted, and the file exits 1.
test.before.each(() => {
  if (setupFailure === undefined) return;
  const failure = setupFailure;
  setupFailure = new Error('the setup failed (see the first test)');
  throw failure;
});

test.after(async () => {
  await chain?.lake.close();
  chain?.stack.bus.restore();
  if (setupFailure === undefined) return;
  await stopS3();
  // A peer the setup left half-started (a DynamoDB Local JVM that missed its start deadline, with its pipes still
  // open) is out of reach here and keeps the process alive: leave once uvu has printed the failures. The timer does
  // not itself keep the process alive, so a clean exit is not delayed.
  setTimeout(() => {
    console.error('pipeline.test.ts: the failed setup left a peer running; exiting');
    process.exit(process.exitCode || 1);
  }, 5_000).unref();
});

test('emit stores every valid event, refuses an invalid one and tells a resent one duplicate', async () => {
  const results = await chain.lake.lake.emit(events);
  assert.equal(results.map((r) => r.status), events.map(() => 'stored'));
  const invalid = { ...events[0]!, RequestId: rid(COUNT + 1), Amount: 'lots' };
  let refused: unknown;
  await chain.lake.lake.emit([invalid]).catch((e: unknown) => (refused = e));
  assert.ok(refused instanceof Error, 'an event with a bad Amount is refused');
  const [again] = await chain.lake.lake.emit([events[7]!]);
  assert.is(again!.status, 'duplicate');
});

test('each object S3 notifies is indexed and published once per event, each entry matching the projector rule', async () => {
  const outcomes = await deliverAll(chain.stack, 0);
  chain.delivered = chain.stack.entries.length;
  assert.is(chain.stack.entries.length, events.length);
  assert.ok(chain.stack.entries.every((e) => e.Source === EVENT_SOURCE && e.EventBusName === 'eventlake-e2e'));
  assert.equal(outcomes.map((o) => o.status).filter((s) => s !== 'applied'), []);
});

test('every stored event is in the index, and a range read returns all of them in time order', async () => {
  const read: { id: string; timestamp: number }[] = [];
  for await (const e of chain.lake.index.between({ from: FIRST_HOUR, to: NOW + HOUR })) read.push({ id: e.id, timestamp: e.timestamp });
  assert.equal(read.map((e) => e.id).sort(), events.map(eventId).sort());
  assert.equal(read.map((e) => e.timestamp), [...read.map((e) => e.timestamp)].sort((a, b) => a - b));
});

test('the DynamoDB projection holds the balances a fold of the events gives', async () => {
  assert.equal(Object.fromEntries(await chain.lake.lake.balances()), foldedBalances(chain.stack));
});

test('an EventBridge event delivered again is a duplicate and changes no balance', async () => {
  const before = Object.fromEntries(await chain.lake.lake.balances());
  const [outcome] = await chain.stack.projector(busDelivery(chain.stack.entries[42]!)) as ApplyOutcome[];
  assert.is(outcome!.status, 'duplicate');
  assert.equal(Object.fromEntries(await chain.lake.lake.balances()), before);
});

test('a compaction run merges the due hours, and the index still returns every event', async () => {
  const report = await chain.stack.compaction({}) as ScheduledCompactionReport;
  assert.ok(report.eventsCompacted === events.length, `compacted ${report.eventsCompacted} of ${events.length}`);
  const keys = new Set<string>();
  const ids: string[] = [];
  for await (const e of chain.lake.index.between({ from: FIRST_HOUR, to: NOW + HOUR })) { ids.push(e.id); keys.add(e.location.key); }
  assert.equal(ids.sort(), events.map(eventId).sort());
  assert.ok(keys.size <= 7, `the index points at ${keys.size} objects after compaction`);
  const [one] = await Promise.all([chain.lake.log.read((await chain.lake.index.get(eventId(events[5]!)))!.location)]);
  assert.is(eventId(one!), eventId(events[5]!));
});

test('an S3 notification redelivered after compaction removed its object republishes the event, which changes nothing', async () => {
  const before = Object.fromEntries(await chain.lake.lake.balances());
  const from = chain.stack.entries.length;
  const gone = (chain.notified[3]!.detail as { object: { key: string } }).object.key;
  const listed: string[] = [];
  for await (const o of chain.lake.log.list(gone.slice(0, gone.lastIndexOf('/') + 1))) listed.push(o.key);
  assert.ok(!listed.includes(gone), `compaction removed ${gone}`);
  await chain.stack.indexer(chain.notified[3]!);
  assert.is(chain.stack.entries.length, from + 1);
  const [outcome] = await chain.stack.projector(busDelivery(chain.stack.entries[from]!)) as ApplyOutcome[];
  assert.is(outcome!.status, 'duplicate');
  assert.equal(Object.fromEntries(await chain.lake.lake.balances()), before);
});

test('a rebuild from 0 through the rebuild handler ends verified and promoted, with the same balances', async () => {
  const before = Object.fromEntries(await chain.lake.lake.balances());
  const report = await chain.stack.rebuild({ projection: 'balances', from: 0 }) as { status: string; verification: { ok?: boolean; matches?: boolean } };
  assert.is(report.status, 'promoted', JSON.stringify(report).slice(0, 2000));
  assert.equal(Object.fromEntries(await chain.lake.lake.balances()), before);
});

test('after the promotion, a new event reaches the promoted generation through the chain', async () => {
  const { from, notified } = await emitLate(events[0]!, COUNT + 2);
  for (const n of notified) await chain.stack.indexer(n);
  const outcomes: ApplyOutcome[] = [];
  for (const entry of chain.stack.entries.slice(from)) outcomes.push(...(await chain.stack.projector(busDelivery(entry)) as ApplyOutcome[]));
  assert.equal(outcomes.map((o) => o.status), ['applied']);
  assert.equal(Object.fromEntries(await chain.lake.lake.balances()), foldedBalances(chain.stack));
});

test('a notification and its bus event redriven from the dead-letter queues reach the projection', async () => {
  const { from, notified } = await emitLate(events[2]!, COUNT + 3);
  const indexed = await chain.stack.indexer(redriveBatch(notified, 'eventlake-indexer-dlq')) as SQSBatchResponse;
  assert.equal(indexed.batchItemFailures, []);
  const projected = await chain.stack.projector(redriveBatch(chain.stack.entries.slice(from).map(busDelivery), 'eventlake-balances-dlq')) as SQSBatchResponse;
  assert.equal(projected.batchItemFailures, []);
  assert.equal(Object.fromEntries(await chain.lake.lake.balances()), foldedBalances(chain.stack));
});

/** A Lambda client whose Invoke runs `handlers[FunctionName]` in this process, answering as Lambda does (errors too). */
function functionsCalling(handlers: Record<string, (event: never) => Promise<unknown>>): LambdaClient {
  const client = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value ?? null));
  mockClient(client).on(InvokeCommand).callsFake(async (input: { FunctionName: string; Payload: Uint8Array }) => {
    try {
      return { StatusCode: 200, Payload: encode(await handlers[input.FunctionName]!(JSON.parse(new TextDecoder().decode(input.Payload)) as never)) };
    } catch (error) {
      return { StatusCode: 200, FunctionError: 'Unhandled', Payload: encode({ errorType: (error as Error).name, errorMessage: (error as Error).message }) };
    }
  });
  return client;
}

test('dead letters listed and redriven by SqsDeadLetterQueues go through the real handlers to the projection', async () => {
  const { from, notified } = await emitLate(events[4]!, COUNT + 4);
  const sqs = new MemorySqs().queue('eventlake-indexer-dlq').queue('eventlake-projector-balances-dlq');
  const lambda = functionsCalling({ 'eventlake-indexer': chain.stack.indexer, 'eventlake-projector-balances': chain.stack.projector });
  const dlq = new SqsDeadLetterQueues({ sqs: sqs.client, lambda, queues: stackDeadLetterQueues('eventlake', ['balances']) });
  for (const n of notified) sqs.send('eventlake-indexer-dlq', n, { RequestID: 'r-1', ErrorCode: '200', ErrorMessage: 'Task timed out after 60.00 seconds' });
  assert.equal((await dlq.list('indexer')).letters.map((l) => l.id), notified.map((n) => (n.detail as { object: { key: string } }).object.key));
  assert.equal(await dlq.redrive('indexer'), { redriven: 1, failed: 0, failures: [] });
  const published = chain.stack.entries.slice(from).map(busDelivery);
  assert.is(published.length, 1);
  sqs.send('eventlake-projector-balances-dlq', published[0], { ERROR_CODE: 'THROTTLING', ERROR_MESSAGE: 'Rate exceeded', RETRY_ATTEMPTS: '185' });
  assert.equal((await dlq.list('balances')).letters.map((l) => [l.id, l.attempts]), [[eventId(events.at(-1)!), 186]]);
  assert.equal(await dlq.redrive('balances'), { redriven: 1, failed: 0, failures: [] });
  assert.equal(sqs.messages('eventlake-projector-balances-dlq'), []);
  assert.equal(Object.fromEntries(await chain.lake.lake.balances()), foldedBalances(chain.stack));
});

test('the CLI lists every event since the first hour, in time order', async () => {
  const listed = await chain.stack.cli(['events', '--since', String(FIRST_HOUR), '--json']);
  assert.is(listed.code, 0, listed.stderr);
  const rows = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; time: string });
  assert.equal(rows.map((r) => r.id).sort(), events.map(eventId).sort());
  assert.equal(rows.map((r) => r.time), [...rows.map((r) => r.time)].sort());
});

test('the CLI on the stack shows the same balances and finds it whole', async () => {
  // Two reads of the same stack, independent of each other: their processes run side by side.
  const [balances, check] = await Promise.all([chain.stack.cli(['balance', '--json']), chain.stack.cli(['check'])]);
  assert.is(balances.code, 0, balances.stderr);
  const shown = Object.fromEntries(balances.stdout.trim().split('\n').map((l) => JSON.parse(l) as { account: string; balance: string }).map((r) => [r.account, r.balance]));
  assert.equal(shown, foldedBalances(chain.stack));
  assert.is(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, 'whole');
});

test.run();
