// `eventlake repair index --target aws`: a stack whose index was written before the hour directory gets it backfilled,
// and its events read as before.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { markerKey } from '../../adapters/aws/dynamodb-index-directory.ts';
import { runCli as cli } from '../security/cli-run.ts';
import { stack, STACK_ENV } from '../support/aws-cli-stack.ts';
import { forgetDirectory } from '../support/pre-directory-index.ts';

/** A stack of `events` events whose index has no hour directory; its config file, index table and a client of it. */
async function preDirectoryStack(events: number) {
  const { config } = await stack(events);
  const indexTable = (JSON.parse(readFileSync(config, 'utf8')) as { indexTable: string }).indexTable;
  // The stack's credentials and endpoint, from the environment stack() set (DynamoDB Local keeps tables per key).
  const client = new DynamoDBClient({ region: 'us-east-1' });
  await forgetDirectory(client, indexTable);
  return { config, indexTable, client };
}

const test = suite('eventlake repair index --target aws');
test.after.each(() => {
  for (const name of STACK_ENV) delete process.env[name];
});

test('the hour directory is backfilled and marked complete: the report names the table and the hours holding events', async () => {
  const { config, indexTable, client } = await preDirectoryStack(3);
  const r = await cli(['--config', config, 'repair', 'index', '--json']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { table: string; hours: number; first: number; last: number };
  assert.is(report.table, indexTable);
  assert.ok(report.hours >= 1 && report.first <= report.last, r.stdout);
  const marker = await client.send(new GetItemCommand({ TableName: indexTable, Key: markerKey(), ConsistentRead: true }));
  assert.equal(marker.Item?.['since'], { N: '0' });
  client.destroy();
});

test('after the backfill, events --since finds every event it found before', async () => {
  const { config, client } = await preDirectoryStack(3);
  client.destroy();
  // The samples' events are of 2009-02-13; a short range, as a lake without directory reads each of its hours.
  const range = ['--since', '2009-02-10', '--until', '2009-02-20', '--json'];
  const before = await cli(['--config', config, 'events', ...range]);
  assert.is(before.code, 0, before.stderr);
  assert.is(before.stdout.trim().split('\n').length, 3);
  const repaired = await cli(['--config', config, 'repair', 'index']);
  assert.is(repaired.code, 0, repaired.stderr);
  assert.match(repaired.stdout, /hour directory complete: \d+ hours hold events/);
  const after = await cli(['--config', config, 'events', ...range]);
  assert.is(after.stdout, before.stdout);
});

test.run();
