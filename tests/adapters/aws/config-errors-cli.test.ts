// `eventlake --config FILE` on a stack (s3rver and DynamoDB Local) whose config names a bucket or table that does not
// exist: emit and check say which setting to fix with their usual exit codes for a typed error, not "unexpected error".
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli as cli } from '../../security/cli-run.ts';
import { stack, STACK_ENV } from '../../support/aws-cli-stack.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

/** The stack's config file with `changes` applied. */
function misconfigured(config: string, changes: Record<string, string>): string {
  const file = join(tempDir(), 'misconfigured.json');
  writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(config, 'utf8')) as object), ...changes }));
  return file;
}

const test = suite('eventlake --target aws: a config naming what does not exist');
test.after.each(() => {
  for (const name of STACK_ENV) delete process.env[name];
});

test('emit to a bucket that does not exist exits 1 with STORAGE_FAILED naming the bucket and its setting', async () => {
  const { config } = await stack(0);
  const input = join(tempDir(), 'event.json');
  writeFileSync(input, JSON.stringify(SAMPLES['cash_deposit']));
  const r = await cli(['--config', misconfigured(config, { bucket: 'no-such-bucket' }), 'emit', input]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'STORAGE_FAILED: S3: bucket no-such-bucket does not exist in region us-east-1');
  assert.match(r.stderr, 'EVENTLAKE_BUCKET');
  assert.not.match(r.stderr, 'unexpected error');
});

test('check of a bucket that does not exist exits 2 (could not check) with the bucket named', async () => {
  const { config } = await stack(0);
  const r = await cli(['--config', misconfigured(config, { bucket: 'no-such-bucket' }), 'check']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'STORAGE_FAILED: S3: bucket no-such-bucket does not exist');
});

test('a control table that does not exist is named with controlTable and the region', async () => {
  const { config } = await stack(0);
  const r = await cli(['--config', misconfigured(config, { controlTable: 'no-such-control' }), 'balance', 'DE44500105175407324931']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'table no-such-control does not exist in region us-east-1');
  assert.match(r.stderr, 'EVENTLAKE_CONTROL_TABLE');
});

test.run();
