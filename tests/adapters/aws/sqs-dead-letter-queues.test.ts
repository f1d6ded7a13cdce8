// SqsDeadLetterQueues: a deployed stack's dead letters listed from its SQS queues and redriven through its functions,
// against queues in memory behind a real SQSClient and a mocked Lambda client (no SQS or Lambda emulator exists here).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidArgumentError, TransientError } from '../../../domain/errors.ts';
import { SqsDeadLetterQueues } from '../../../adapters/aws/sqs-dead-letter-queues.ts';
import { stackDeadLetterQueues } from '../../../adapters/aws/stack-dead-letter-queues.ts';
import { MemorySqs } from '../../support/fakes/memory-sqs.ts';
import { rejects } from '../../support/async.ts';

const BALANCES_DLQ = 'eventlake-projector-balances-dlq';
const INDEXER_DLQ = 'eventlake-indexer-dlq';

/** A bus event as EventBridge delivers it to a projector: the logged event as its detail. */
function busEvent(requestId: string, type = 'cash_deposit'): unknown {
  return { version: '0', id: requestId, 'detail-type': type, source: 'eventlake', account: '111122223333', time: '2026-11-29T10:00:00Z', region: 'us-east-1', resources: [],
    detail: { EventType: type, SchemaVersion: 1, RequestId: requestId, EventTimeStamp: 1_764_410_400, TargetAccount: 'DE44-5001-0517', Amount: '10.00' } };
}

const rid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Invocation { readonly functionName: string; readonly records: { messageId: string; body: string; eventSourceARN: string; attributes: Record<string, string> }[] }

/** A stack of two queues, and a Lambda whose functions answer with `answer` (default: every record taken). */
function stack(answer: (inv: Invocation) => { FunctionError?: string; payload: unknown } = () => ({ payload: { batchItemFailures: [] } })) {
  const sqs = new MemorySqs().queue(INDEXER_DLQ).queue(BALANCES_DLQ).queue('eventlake-projector-statement-dlq');
  const lambda = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const invocations: Invocation[] = [];
  mockClient(lambda).on(InvokeCommand).callsFake(async (input: { FunctionName: string; Payload: Uint8Array }) => {
    const inv = { functionName: input.FunctionName, records: (JSON.parse(new TextDecoder().decode(input.Payload)) as { Records: Invocation['records'] }).Records };
    invocations.push(inv);
    const { FunctionError, payload } = answer(inv);
    return { StatusCode: 200, ...(FunctionError ? { FunctionError } : {}), Payload: new TextEncoder().encode(JSON.stringify(payload)) };
  });
  const dlq = new SqsDeadLetterQueues({ sqs: sqs.client, lambda, queues: stackDeadLetterQueues('eventlake', ['balances', 'statement']) });
  return { sqs, dlq, invocations };
}

/** A balances queue holding one message, and a Lambda client whose every Invoke fails with `error`. */
function invokeFailing(error: Error) {
  const { sqs } = stack();
  sqs.send(BALANCES_DLQ, busEvent(rid(1)));
  const lambda = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  mockClient(lambda).on(InvokeCommand).rejects(error);
  return { sqs, dlq: new SqsDeadLetterQueues({ sqs: sqs.client, lambda, queues: stackDeadLetterQueues('eventlake', ['balances']) }) };
}

const list = suite('SqsDeadLetterQueues.list');

list('a projector\'s message is listed by its event\'s identity, with the error EventBridge recorded', async () => {
  const { sqs, dlq } = stack();
  sqs.send(BALANCES_DLQ, busEvent(rid(1)), { ERROR_CODE: 'RESOURCE_NOT_FOUND', ERROR_MESSAGE: 'Function not found', RETRY_ATTEMPTS: '0', RULE_ARN: 'arn:r', TARGET_ARN: 'arn:t' });
  assert.equal((await dlq.list()).letters, [{ id: `cash_deposit_${rid(1)}`, target: 'balances', error: 'RESOURCE_NOT_FOUND: Function not found', attempts: 1, failedAt: sqs.now }]);
});

list('a message Lambda dead-lettered carries its error and the three attempts of an asynchronous invocation', async () => {
  const { sqs, dlq } = stack();
  sqs.send(BALANCES_DLQ, busEvent(rid(2)), { RequestID: 'req-1', ErrorCode: '200', ErrorMessage: 'COUNTER_OUT_OF_RANGE: balances …' });
  const [letter] = (await dlq.list('balances')).letters;
  assert.is(letter!.error, '200: COUNTER_OUT_OF_RANGE: balances …');
  assert.is(letter!.attempts, 3);
});

list('the indexer\'s message is listed by the key of the object its notification names', async () => {
  const { sqs, dlq } = stack();
  const key = 'events/year=2026/month=11/day=29/hour=10/cash_deposit_x.json';
  sqs.send(INDEXER_DLQ, { 'detail-type': 'Object Created', source: 'aws.s3', detail: { bucket: { name: 'b' }, object: { key } } });
  assert.equal((await dlq.list('indexer')).letters.map((l) => [l.id, l.target]), [[key, 'indexer']]);
});

list('a body that is no bus event is still listed, by its message id, with what is known', async () => {
  const { sqs, dlq } = stack();
  const id = sqs.send(BALANCES_DLQ, 'not json');
  assert.equal((await dlq.list()).letters.map((l) => [l.id, l.error]), [[`message ${id}`, 'no error recorded with the message (the function\'s log has it)']]);
});

list('every queue is read to its end, ten at a time, and each message is listed once, oldest first', async () => {
  const { sqs, dlq } = stack();
  for (let n = 1; n <= 23; n++) {
    sqs.send(n % 2 ? BALANCES_DLQ : 'eventlake-projector-statement-dlq', busEvent(rid(n)));
    sqs.now += 1000;
  }
  const letters = (await dlq.list()).letters;
  assert.equal(letters.map((l) => l.id), Array.from({ length: 23 }, (_, i) => `cash_deposit_${rid(i + 1)}`));
  assert.equal(letters.map((l) => l.target).filter((t) => t === 'balances').length, 12);
});

list('listing leaves every message visible again, and says exactly how it reads', async () => {
  const { sqs, dlq } = stack();
  sqs.send(BALANCES_DLQ, busEvent(rid(1)));
  await dlq.list('balances');
  assert.equal(sqs.messages(BALANCES_DLQ).map((m) => [m.visible, m.receives]), [[true, 1]]);
  const receive = sqs.mock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input;
  assert.equal(receive, {
    QueueUrl: 'https://sqs.us-east-1.amazonaws.com/111122223333/eventlake-projector-balances-dlq', MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 120,
    MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp'], MessageAttributeNames: ['All'],
  });
});

list('a message that comes round again (the hold ran out mid-listing) is listed once', async () => {
  const { sqs, dlq } = stack();
  sqs.send(BALANCES_DLQ, busEvent(rid(1)));
  // Every receive lets the holds run out: the same message is received again at once.
  sqs.mock.on(ReceiveMessageCommand).callsFake(async () => {
    sqs.now += 200_000;
    return { Messages: sqs.messages(BALANCES_DLQ).map((m) => ({ MessageId: m.id, ReceiptHandle: `h${sqs.now}`, Body: m.body, Attributes: { SentTimestamp: '1' } })) };
  });
  assert.is((await dlq.list('balances')).letters.length, 1);
});

list('a queue holding more than the cap is listed up to it, named as capped, and every message is visible again', async () => {
  const { sqs } = stack();
  for (let n = 1; n <= 13; n++) sqs.send(BALANCES_DLQ, busEvent(rid(n)));
  sqs.send(INDEXER_DLQ, { detail: { object: { key: 'events/k.json' } } });
  const dlq = new SqsDeadLetterQueues({ sqs: sqs.client, queues: stackDeadLetterQueues('eventlake', ['balances', 'statement']), maxListedPerQueue: 12 });
  const { letters, capped } = await dlq.list();
  assert.equal([letters.filter((l) => l.target === 'balances').length, letters.filter((l) => l.target === 'indexer').length], [12, 1]);
  assert.equal(capped, ['balances']);
  assert.ok(sqs.messages(BALANCES_DLQ).every((m) => m.visible));
});

list('a queue that cannot be read fails the listing only once the others have made their messages visible again', async () => {
  const sqs = new MemorySqs().queue(BALANCES_DLQ);
  for (let n = 1; n <= 25; n++) sqs.send(BALANCES_DLQ, busEvent(rid(n)));
  const dlq = new SqsDeadLetterQueues({ sqs: sqs.client, queues: stackDeadLetterQueues('eventlake', ['balances']) });
  await rejects(() => dlq.list(), InvalidArgumentError);
  assert.ok(sqs.messages(BALANCES_DLQ).every((m) => m.visible && m.receives === 1));
});

list('a target without a queue is refused by name, listing the ones there are', async () => {
  const { dlq } = stack();
  const error = await rejects(() => dlq.list('ledger'), InvalidArgumentError);
  assert.is(error.argument, 'projection');
  assert.ok(error.message.includes('indexer, balances, statement'), error.message);
});

list('a queue the account does not have points at the stack\'s prefix', async () => {
  const sqs = new MemorySqs().queue(BALANCES_DLQ);
  const dlq = new SqsDeadLetterQueues({ sqs: sqs.client, queues: stackDeadLetterQueues('acme', ['balances']) });
  const error = await rejects(() => dlq.list('balances'), InvalidArgumentError);
  assert.is(error.argument, 'tablePrefix');
  assert.ok(error.message.includes('acme-projector-balances-dlq') && error.message.includes('TablePrefix'), error.message);
  assert.ok(error.message.includes('if the stack deploys no projector for balances'), error.message);
});

list.run();

const redrive = suite('SqsDeadLetterQueues.redrive');

redrive('each message goes to its queue\'s function as an SQS batch, and leaves the queue once taken', async () => {
  const { sqs, dlq, invocations } = stack();
  sqs.send(BALANCES_DLQ, busEvent(rid(1)));
  sqs.send(INDEXER_DLQ, { 'detail-type': 'Object Created', detail: { object: { key: 'events/k.json' } } });
  assert.equal(await dlq.redrive(), { redriven: 2, failed: 0, failures: [] });
  assert.equal(invocations.map((i) => i.functionName), ['eventlake-indexer', 'eventlake-projector-balances']);
  const [record] = invocations[1]!.records;
  assert.equal(JSON.parse(record!.body), busEvent(rid(1)));
  assert.is(record!.eventSourceARN, sqs.arnOf(BALANCES_DLQ));
  assert.is(record!.attributes['ApproximateReceiveCount'], '1');
  assert.equal([...sqs.messages(BALANCES_DLQ), ...sqs.messages(INDEXER_DLQ)], []);
});

redrive('a record the function reports failed stays in its queue, visible, and is named with its function', async () => {
  const { sqs, dlq } = stack((inv) => ({ payload: { batchItemFailures: [{ itemIdentifier: inv.records[1]!.messageId }] } }));
  sqs.send(BALANCES_DLQ, busEvent(rid(1)));
  sqs.send(BALANCES_DLQ, busEvent(rid(2)));
  sqs.send(BALANCES_DLQ, busEvent(rid(3)));
  const result = await dlq.redrive('balances');
  assert.equal(result, { redriven: 2, failed: 1, failures: [{ id: `cash_deposit_${rid(2)}`, target: 'balances', error: 'eventlake-projector-balances failed it again (its log has the error)' }] });
  assert.equal(sqs.messages(BALANCES_DLQ).map((m) => [JSON.parse(m.body).detail.RequestId, m.visible]), [[rid(2), true]]);
});

redrive('a batch the function fails whole stays, with the function\'s error', async () => {
  const { sqs, dlq } = stack(() => ({ FunctionError: 'Unhandled', payload: { errorType: 'FullBatchFailureError', errorMessage: 'All records failed processing.' } }));
  sqs.send(BALANCES_DLQ, busEvent(rid(1)));
  const result = await dlq.redrive('balances');
  assert.is(result.failed, 1);
  assert.is(result.failures[0]!.error, 'eventlake-projector-balances failed it again: All records failed processing.');
  assert.equal(sqs.messages(BALANCES_DLQ).map((m) => m.visible), [true]);
});

redrive('more than ten messages go in batches of ten, each failed one tried once', async () => {
  const { sqs, dlq, invocations } = stack((inv) => ({ payload: { batchItemFailures: inv.records.slice(0, 1).map((r) => ({ itemIdentifier: r.messageId })) } }));
  for (let n = 1; n <= 25; n++) sqs.send(BALANCES_DLQ, busEvent(rid(n)));
  const result = await dlq.redrive('balances');
  assert.equal(invocations.map((i) => i.records.length), [10, 10, 5]);
  assert.equal([result.redriven, result.failed], [22, 3]);
  assert.is(sqs.messages(BALANCES_DLQ).length, 3);
});

redrive('a throttled invocation is TRANSIENT, deletes nothing and leaves the batch visible again', async () => {
  const { sqs, dlq } = invokeFailing(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }));
  await rejects(() => dlq.redrive('balances'), TransientError);
  assert.equal(sqs.messages(BALANCES_DLQ).map((m) => m.visible), [true]);
});

redrive('a function the account does not have points at the stack\'s prefix', async () => {
  const { dlq } = invokeFailing(Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } }));
  const error = await rejects(() => dlq.redrive('balances'), InvalidArgumentError);
  assert.ok(error.message.includes('function eventlake-projector-balances'), error.message);
});

redrive('a delivered message SQS did not delete is counted as failed once, saying a later redrive applies it once', async () => {
  const { sqs, dlq, invocations } = stack();
  sqs.send(BALANCES_DLQ, busEvent(rid(1)));
  // The first receive hands out a receipt that is no longer the latest (another reader received it meanwhile).
  sqs.staleReceipts = true;
  const result = await dlq.redrive('balances');
  assert.equal([result.redriven, result.failed, invocations.length], [0, 1, 1]);
  assert.match(result.failures[0]!.error, /delivered, but SQS did not delete it .*ReceiptHandleIsInvalid.*applied once/);
  assert.is(sqs.messages(BALANCES_DLQ).length, 1);
});

redrive('without a Lambda client it is refused before any message is received', async () => {
  const { sqs } = stack();
  sqs.send(BALANCES_DLQ, busEvent(rid(1)));
  const dlq = new SqsDeadLetterQueues({ sqs: sqs.client, queues: stackDeadLetterQueues('eventlake', ['balances']) });
  const error = await rejects(() => dlq.redrive(), InvalidArgumentError);
  assert.is(error.argument, 'lambda');
  assert.equal(sqs.messages(BALANCES_DLQ).map((m) => m.receives), [0]);
});

redrive.run();
