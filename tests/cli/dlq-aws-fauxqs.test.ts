// `eventlake dlq list --target aws` against fauxqs (an SQS emulator on a free port here), reached as a user reaches an
// emulator: AWS_ENDPOINT_URL_SQS in the environment. fauxqs names its queues' URLs after a host that does not resolve
// (sqs.<region>.localhost), which the SDK would send each call to unless told to keep the configured endpoint.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake dlq --target aws on fauxqs');

let server: Awaited<ReturnType<typeof startFauxqs>>;
const ENV = ['AWS_ENDPOINT_URL_SQS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
const saved = new Map<string, string | undefined>();

test.before(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  for (const name of ENV) saved.set(name, process.env[name]);
  Object.assign(process.env, { AWS_ENDPOINT_URL_SQS: server.address, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
});
test.after(async () => {
  for (const [name, value] of saved) if (value === undefined) delete process.env[name]; else process.env[name] = value;
  await server.stop();
});

test('dlq list reads the queues at the endpoint the environment names, whatever host their URLs carry', async () => {
  const sqs = new SQSClient({ region: 'eu-west-1', endpoint: server.address, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const urls: string[] = [];
  for (const q of ['acme-indexer-dlq', 'acme-projector-balances-dlq', 'acme-projector-statement-dlq']) urls.push((await sqs.send(new CreateQueueCommand({ QueueName: q }))).QueueUrl!);
  assert.not.ok(urls[1]!.startsWith(server.address), `fauxqs answered ${urls[1]} (the check needs a URL host other than its address)`);
  await sqs.send(new SendMessageCommand({ QueueUrl: urls[1], MessageBody: JSON.stringify({ detail: { EventType: 'cash_deposit', RequestId: 'r-1' } }),
    MessageAttributes: { RequestID: { DataType: 'String', StringValue: 'q' }, ErrorCode: { DataType: 'Number', StringValue: '200' }, ErrorMessage: { DataType: 'String', StringValue: 'rule broke' } } }));
  sqs.destroy();
  const config = join(tempDir(), 'eventlake.json');
  writeFileSync(config, JSON.stringify({ target: 'aws', region: 'eu-west-1', bucket: 'acme-events', indexTable: 'acme-index', controlTable: 'acme-control', tablePrefix: 'acme' }));
  const run = await runCli(['--config', config, 'dlq', 'list', '--json']);
  assert.is(run.code, 0, run.stderr);
  const rows = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(rows.map((r) => [r['id'], r['target'], r['attempts'], r['error']]), [['cash_deposit_r-1', 'balances', 3, '200: rule broke']]);
});

test.run();
