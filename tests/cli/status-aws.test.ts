// `eventlake status --target aws`: the same questions of a deployed stack (here s3rver and DynamoDB Local).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli as cli } from '../security/cli-run.ts';
import { stack, STACK_ENV } from '../support/aws-cli-stack.ts';

const test = suite('eventlake status --target aws');
test.after.each(() => {
  for (const name of STACK_ENV) delete process.env[name];
});

test('a stack answers its indexed events, and says where its dead letters are instead of counting none', async () => {
  const { config, bucket } = await stack(3);
  const r = await cli(['--config', config, 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { target: string; dataDir: string; events: number; undispatchedPositions: number; deadLetters?: unknown; deadLettersElsewhere: string };
  assert.equal([s.target, s.dataDir, s.events, s.undispatchedPositions, s.deadLetters], ['aws', `s3://${bucket}`, 3, 0, undefined]);
  assert.match(s.deadLettersElsewhere, /SQS dead-letter queues/);
});

test('the text form says dead letters are not counted here and where to look', async () => {
  const { config } = await stack(1);
  const r = await cli(['--config', config, 'status']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^dead letters: not counted here: eventlake dlq list is not available with --target aws: on AWS, dead letters are the messages/m);
});

test.run();
