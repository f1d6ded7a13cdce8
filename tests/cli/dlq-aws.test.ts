// `eventlake dlq list|redrive --target aws`: the stack's SQS dead-letter queues listed and redriven by the CLI, run
// in-process with every SQS and Lambda client of the process mocked (queues in memory; no emulator exists here).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../security/cli-run.ts';
import { MemorySqs } from '../support/fakes/memory-sqs.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake dlq --target aws');

const rid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const deposit = (n: number) => ({ 'detail-type': 'cash_deposit', source: 'eventlake', detail: { EventType: 'cash_deposit', SchemaVersion: 1, RequestId: rid(n), EventTimeStamp: 1_764_410_400 } });

function configFile(): string {
  const file = join(tempDir(), 'eventlake.json');
  writeFileSync(file, JSON.stringify({ target: 'aws', region: 'eu-west-1', bucket: 'acme-events', indexTable: 'acme-index', controlTable: 'acme-control', tablePrefix: 'acme' }));
  return file;
}

let sqs: MemorySqs;
const lambda = mockClient(LambdaClient);
/** Functions by name, each answering the records it fails. */
let failing: Record<string, (messageIds: string[]) => string[]> = {};

test.before.each(() => {
  sqs = new MemorySqs({ everyClient: true }).queue('acme-indexer-dlq').queue('acme-projector-balances-dlq').queue('acme-projector-statement-dlq');
  failing = {};
  lambda.reset();
  lambda.on(InvokeCommand).callsFake(async (input: { FunctionName: string; Payload: Uint8Array }) => {
    const ids = (JSON.parse(new TextDecoder().decode(input.Payload)) as { Records: { messageId: string }[] }).Records.map((r) => r.messageId);
    const failed = failing[input.FunctionName]?.(ids) ?? [];
    return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify({ batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) })) };
  });
});
test.after.each(() => sqs.mock.restore());
test.after(() => lambda.restore());

/** The CLI in-process (runCli), its output as out/err. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const rows = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

test('dlq list reads every queue of the stack named after its prefix, and says how to redrive', async () => {
  sqs.send('acme-projector-balances-dlq', deposit(1), { ERROR_CODE: 'RESOURCE_NOT_FOUND', ERROR_MESSAGE: 'Function not found', RETRY_ATTEMPTS: '0' });
  sqs.now += 1000;
  sqs.send('acme-indexer-dlq', { 'detail-type': 'Object Created', detail: { object: { key: 'events/k.json' } } }, { RequestID: 'r', ErrorCode: '200', ErrorMessage: 'Task timed out' });
  const json = await cli(['--config', configFile(), 'dlq', 'list', '--json']);
  assert.is(json.code, 0, json.err);
  assert.equal(rows(json.out).map((r) => [r['id'], r['target'], r['error']]), [
    [`cash_deposit_${rid(1)}`, 'balances', 'RESOURCE_NOT_FOUND: Function not found'],
    ['events/k.json', 'indexer', '200: Task timed out'],
  ]);
  const table = await cli(['--config', configFile(), 'dlq', 'list']);
  assert.match(table.err, /eventlake: once their cause is fixed, deliver them again: eventlake .*dlq redrive/);
});

test('dlq list --projection indexer reads the indexer\'s queue only; an unknown name is refused with the projections', async () => {
  sqs.send('acme-projector-balances-dlq', deposit(1));
  sqs.send('acme-indexer-dlq', { detail: { object: { key: 'events/k.json' } } });
  const indexer = await cli(['--config', configFile(), 'dlq', 'list', '--projection', 'indexer', '--json']);
  assert.equal(rows(indexer.out).map((r) => r['target']), ['indexer']);
  const typo = await cli(['--config', configFile(), 'dlq', 'list', '--projection', 'balance']);
  assert.is(typo.code, 1);
  assert.match(typo.err, /--projection: unknown projection "balance": use one of balances, statement/);
});

test('dlq list says on stderr when a queue holds more than it lists', async () => {
  for (let n = 1; n <= 10_001; n++) sqs.send('acme-projector-statement-dlq', deposit(n));
  const run = await cli(['--config', configFile(), 'dlq', 'list', '--projection', 'statement', '--json']);
  assert.is(run.code, 0, run.err);
  assert.is(rows(run.out).length, 10_000);
  assert.match(run.err, /the dead-letter queue of statement holds more than 10000 messages; 10000 of them are listed/);
});

test('dlq redrive delivers each message through its function and deletes what it took', async () => {
  sqs.send('acme-projector-balances-dlq', deposit(1));
  sqs.send('acme-projector-statement-dlq', deposit(1));
  const run = await cli(['--config', configFile(), 'dlq', 'redrive', '--json']);
  assert.is(run.code, 0, run.err);
  assert.equal(rows(run.out), [{ redriven: 2, failed: 0, failures: [] }]);
  assert.equal(lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input.FunctionName), ['acme-projector-balances', 'acme-projector-statement']);
  assert.equal([...sqs.messages('acme-projector-balances-dlq'), ...sqs.messages('acme-projector-statement-dlq')], []);
});

test('dlq redrive names what its function failed again on stderr and exits 1, keeping it queued', async () => {
  sqs.send('acme-projector-balances-dlq', deposit(1));
  sqs.send('acme-projector-balances-dlq', deposit(2));
  failing['acme-projector-balances'] = (ids) => ids.slice(1);
  const run = await cli(['--config', configFile(), 'dlq', 'redrive', '--projection', 'balances']);
  assert.is(run.code, 1);
  assert.match(run.err, new RegExp(`eventlake: balances cash_deposit_${rid(2)}: acme-projector-balances failed it again`));
  assert.is(sqs.messages('acme-projector-balances-dlq').length, 1);
});

test.run();
