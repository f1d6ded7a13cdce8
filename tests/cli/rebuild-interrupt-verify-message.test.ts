// Ctrl-C while `eventlake rebuild` verifies says what is true then: the generation is finished and verified so far,
// kept unpromoted, and the same command takes it over; not "the unfinished generation is kept", which is what an
// interrupted replay keeps.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { depositLake, interruptCli } from './interrupt-support.ts';

const test = suite('eventlake rebuild: the message of an interruption during verification');

test('SIGINT during the verification says the finished generation is kept and how to verify and promote it', async () => {
  // From a snapshot taken after every event: nothing to replay, then verification folds the whole log again.
  const dataDir = await depositLake(['snapshot', 'take']);
  const from = String(Math.floor(Date.now() / 1000) + 1);
  const r = await interruptCli(dataDir, ['rebuild', '--projection', 'balances', '--from', from], 'SIGINT', (output) => /^rebuilt /m.test(output));
  assert.is(r.code, 130, r.err.slice(-2000));
  assert.match(r.err, 'eventlake: interrupted (SIGINT): generation 2 is finished and kept, not promoted, and its lease freed; run the same eventlake rebuild command again to verify and promote it');
  assert.not.match(r.err, 'unfinished');
  const listed = await runCli(['--data-dir', dataDir, 'generations', 'list']);
  assert.match(listed.stdout, /balances\s+2\s+finished/);
});

test('SIGINT during the replay still says the unfinished generation is kept and resumes from its checkpoint', async () => {
  const dataDir = await depositLake();
  const r = await interruptCli(dataDir, ['rebuild', '--projection', 'balances', '--from', '0', '--json'], 'SIGINT', (output) => /"phase":"replay","done":[1-9]/.test(output));
  assert.is(r.code, 130, r.err.slice(-2000));
  assert.match(r.err, 'eventlake: interrupted (SIGINT): the unfinished generation is kept and its lease freed; run the same eventlake rebuild command again to resume it');
});

test.run();
