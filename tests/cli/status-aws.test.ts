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
  const s = JSON.parse(r.stdout) as { target: string; dataDir: string; events: number; deadLetters?: unknown; deadLettersElsewhere: string };
  assert.equal([s.target, s.dataDir, s.events, s.deadLetters], ['aws', `s3://${bucket}`, 3, undefined]);
  assert.match(s.deadLettersElsewhere, /SQS dead-letter queues/);
});

test('--json says dispatch is not observable instead of a lag of 0, even with objects the indexer has not indexed', async () => {
  const { config } = await stack(3, 1);
  const r = await cli(['--config', config, 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.is(s['dispatchObservable'], false);
  assert.equal(['dispatchedPosition', 'undispatchedEvents', 'undispatchedPositions'].filter((k) => k in s), []);
});

test('--json says where to look instead: check for unindexed objects (with the same --config), the dead-letter alarms', async () => {
  const { config } = await stack(1);
  const r = await cli(['--config', config, 'status', '--json']);
  const s = JSON.parse(r.stdout) as { dispatchElsewhere: string };
  assert.ok(s.dispatchElsewhere.includes(`\`eventlake --config ${config} check\``), s.dispatchElsewhere);
  assert.match(s.dispatchElsewhere, /dead-letter queues, each watched by a DeadLetterAlarm/);
});

test('the text form counts indexed events only and never reads "0 behind"', async () => {
  const { config } = await stack(3, 1);
  const r = await cli(['--config', config, 'status']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^events: +1 indexed \(last position \d+\); objects the indexer has not indexed are not counted$/m);
  assert.match(r.stdout, /^dispatch: +not observable from here: .*`eventlake --config \S+ check`$/m);
  assert.not.match(r.stdout, /behind/);
});

test('the text form says dead letters are not counted here, and the dlq list to run with the same --config', async () => {
  const { config } = await stack(1);
  const r = await cli(['--config', config, 'status']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^dead letters: not counted here: they are the messages of the stack's SQS dead-letter queues, which status does not read .*DeadLetterAlarm/m);
  assert.ok(r.stdout.includes(`\`eventlake --config ${config} dlq list\` lists them`), r.stdout);
});

test.run();
