// `eventlake check --target aws`: the stack named by the config file (here s3rver and DynamoDB Local) is checked
// log against index, with the local check's exit codes: 0 whole, 1 not whole (the report on stdout), 2 could not check.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { S3EventLog } from '../../adapters/aws/s3-event-log.ts';
import { runCli as cli } from '../security/cli-run.ts';
import { stack, STACK_ENV } from '../support/aws-cli-stack.ts';
import { parcel, parcelSchema } from '../support/check-schemas-data-dir.ts';
import { s3Target } from '../support/s3rver.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake check --target aws');
test.after.each(() => {
  for (const name of STACK_ENV) delete process.env[name];
});

test('a stack whose every stored event is indexed is whole: exit 0', async () => {
  const { config, bucket } = await stack(3);
  const r = await cli(['--config', config, 'check']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `s3://${bucket}: whole`);
  assert.match(r.stdout, 'checked 3 objects (0 restored copies), 3 event lines, 3 index entries');
});

test('a stored event no index entry holds makes the stack not whole: exit 1, the finding and its example on stdout', async () => {
  const { config } = await stack(3, 2);
  const r = await cli(['--config', config, 'check']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, 'NOT whole');
  assert.match(r.stdout, /unindexedEvent: 1 — /);
});

test('--json gives the report as one JSON object with every finding kind', async () => {
  const { config } = await stack(2, 1);
  const r = await cli(['--config', config, 'check', '--json']);
  assert.is(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { target: string; whole: boolean; findings: Record<string, { count: number }> };
  assert.equal([report.target, report.whole, report.findings['unindexedEvent']!.count, report.findings['missingObject']!.count], ['aws', false, 1, 0]);
});

test('stored events are validated with the registry of --schemas: a type none defines is unknownSchema (exit 1)', async () => {
  const { config, bucket } = await stack(1);
  await new S3EventLog({ client: (await s3Target()).client, bucket }).append([parcel(1)]);
  const counts = async (...args: string[]) => {
    const r = await cli(['--config', config, ...args, 'check', '--json']);
    const { findings } = JSON.parse(r.stdout) as { findings: Record<string, { count: number }> };
    return [r.code, findings['unindexedEvent']!.count, findings['unknownSchema']!.count];
  };
  assert.equal(await counts(), [1, 1, 1]);
  const schemas = join(tempDir(), 'schemas');
  mkdirSync(schemas);
  writeFileSync(join(schemas, 'parcel_shipped.v1.json'), parcelSchema(['DHL']));
  assert.equal(await counts('--schemas', schemas), [1, 1, 0]);
});

test('a stack that cannot be read (no such index table) exits 2 with the error on stderr and nothing on stdout', async () => {
  const { config } = await stack(1);
  const broken = join(tempDir(), 'broken.json');
  writeFileSync(broken, JSON.stringify({ ...(JSON.parse(readFileSync(config, 'utf8')) as object), indexTable: 'no-such-table' }));
  const r = await cli(['--config', broken, 'check']);
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.ok(r.stderr.length > 0);
});

test('a bad --limit exits 2 before the stack is opened', async () => {
  const { config } = await stack(0);
  const r = await cli(['--config', config, 'check', '--limit', 'lots']);
  assert.is(r.code, 2);
  assert.match(r.stderr, '--limit');
});

test.run();
