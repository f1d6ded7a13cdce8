// SqsDeadLetterQueues against fauxqs, an SQS emulator speaking SQS's own JSON protocol over HTTP (started here on a
// free port): the requests, attributes, receipts and errors as the real SQSClient sends and reads them. The Lambda side
// stays mocked (no Lambda emulator). Timing edge cases (a hold running out) are in sqs-dead-letter-queues.test.ts.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { startFauxqs } from 'fauxqs';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { SqsDeadLetterQueues } from '../../../adapters/aws/sqs-dead-letter-queues.ts';
import { stackDeadLetterQueues } from '../../../adapters/aws/stack-dead-letter-queues.ts';
import { rejects } from '../../support/async.ts';

const test = suite('SqsDeadLetterQueues on fauxqs');

let server: Awaited<ReturnType<typeof startFauxqs>>;
let sqs: SQSClient;
let prefix = 0;

test.before(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({ region: 'us-east-1', endpoint: server.address, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
test.after(async () => {
  sqs.destroy();
  await server.stop();
});

const attr = (value: string) => ({ DataType: 'String', StringValue: value });
const deposit = (n: number) => JSON.stringify({ 'detail-type': 'cash_deposit', source: 'eventlake', detail: { EventType: 'cash_deposit', SchemaVersion: 1, RequestId: `r-${n}` } });

/** A fresh stack's queues (a prefix of their own), the balances queue holding `count` deposits EventBridge dead-lettered. */
async function stack(count: number, failing: (requestId: string) => boolean = () => false) {
  const name = `lake${++prefix}`;
  const queues = stackDeadLetterQueues(name, ['balances']);
  const urls = new Map<string, string>();
  for (const q of queues) urls.set(q.target, (await sqs.send(new CreateQueueCommand({ QueueName: q.queueName, Attributes: { VisibilityTimeout: '360' } }))).QueueUrl!);
  for (let n = 1; n <= count; n++) {
    await sqs.send(new SendMessageCommand({ QueueUrl: urls.get('balances'), MessageBody: deposit(n),
      MessageAttributes: { ERROR_CODE: attr('THROTTLING'), ERROR_MESSAGE: attr('Rate exceeded'), RETRY_ATTEMPTS: attr('3') } }));
  }
  const lambda = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const invoked: { functionName: string; records: { messageId: string; body: string; eventSourceARN: string }[] }[] = [];
  mockClient(lambda).on(InvokeCommand).callsFake(async (input: { FunctionName: string; Payload: Uint8Array }) => {
    const records = (JSON.parse(new TextDecoder().decode(input.Payload)) as { Records: { messageId: string; body: string; eventSourceARN: string }[] }).Records;
    invoked.push({ functionName: input.FunctionName, records });
    const failed = records.filter((r) => failing((JSON.parse(r.body) as { detail: { RequestId: string } }).detail.RequestId));
    return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify({ batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) })) };
  });
  const counts = async () => {
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: urls.get('balances'), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
    return { visible: Number(a['ApproximateNumberOfMessages']), hidden: Number(a['ApproximateNumberOfMessagesNotVisible']) };
  };
  return { name, dlq: new SqsDeadLetterQueues({ sqs, lambda, queues }), invoked, counts };
}

test('list reads every message, with what EventBridge recorded, and leaves them all visible', async () => {
  const { dlq, counts } = await stack(23);
  const { letters, capped } = await dlq.list();
  assert.equal(capped, []);
  assert.equal(letters.map((l) => l.id).sort(), Array.from({ length: 23 }, (_, i) => `cash_deposit_r-${i + 1}`).sort());
  assert.equal(letters[0]!.error, 'THROTTLING: Rate exceeded');
  assert.equal(new Set(letters.map((l) => [l.target, l.attempts].join())), new Set(['balances,4']));
  assert.ok(letters.every((l) => l.failedAt > 0));
  assert.equal(await counts(), { visible: 23, hidden: 0 });
});

test('redrive hands each batch of ten to the projector, deletes what it took and leaves what it failed visible', async () => {
  const { name, dlq, invoked, counts } = await stack(23, (id) => id.endsWith('7'));
  const result = await dlq.redrive('balances');
  assert.equal([result.redriven, result.failed], [21, 2]);
  assert.equal(result.failures.map((f) => f.id).sort(), ['cash_deposit_r-17', 'cash_deposit_r-7']);
  assert.equal(invoked.map((i) => [i.functionName, i.records.length]), [[`${name}-projector-balances`, 10], [`${name}-projector-balances`, 10], [`${name}-projector-balances`, 3]]);
  assert.match(invoked[0]!.records[0]!.eventSourceARN, new RegExp(`^arn:aws:sqs:us-east-1:\\d+:${name}-projector-balances-dlq$`));
  assert.equal(await counts(), { visible: 2, hidden: 0 });
  assert.equal((await dlq.list('balances')).letters.map((l) => l.id).sort(), ['cash_deposit_r-17', 'cash_deposit_r-7']);
});

test('a stack whose queues are named after another prefix is refused naming tablePrefix', async () => {
  const dlq = new SqsDeadLetterQueues({ sqs, queues: stackDeadLetterQueues('no-such-lake', ['balances']) });
  const error = await rejects(() => dlq.list(), InvalidArgumentError);
  assert.is(error.argument, 'tablePrefix');
  assert.ok(error.message.includes('no-such-lake-indexer-dlq'), error.message);
});

test.run();
