// `eventlake verify` refusals name the commands to run instead as this CLI runs them: with the global options given
// (--data-dir, --schemas), so the line runs as printed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('verify refusals spell their commands with the global options (CLI)');

const SCHEMAS = join(resolve(fileURLToPath(new URL('../..', import.meta.url))), 'examples/outgoing-payment/schemas');

/** A data dir holding one deposit, and the global options a user runs every command with. */
async function lake(): Promise<string[]> {
  return ['--data-dir', await emittedDataDir([SAMPLES['cash_deposit']!]), '--schemas', SCHEMAS];
}

async function refused(args: string[]): Promise<string> {
  const r = await runCli(args);
  assert.is(r.code, 1, r.stderr);
  return r.stderr;
}

test('verifying a generation that is neither live nor a rebuild\'s names generations list with the global options', async () => {
  const global = await lake();
  const stderr = await refused([...global, 'verify', '--projection', 'balances', '--generation', '9']);
  assert.match(stderr, `no mark to verify at: eventlake ${global.join(' ')} generations list shows the ones to verify`);
});

test('verifying against a snapshot when none is taken names snapshot take with the global options', async () => {
  const global = await lake();
  const stderr = await refused([...global, 'verify', '--projection', 'balances', '--against', 'snapshot']);
  assert.match(stderr, `--against: no snapshot of balances is taken yet to verify against: take one first (eventlake ${global.join(' ')} snapshot take)`);
});

test('verifying against a snapshot at a time before every snapshot names snapshot list with the global options', async () => {
  const global = await lake();
  assert.is((await runCli([...global, 'snapshot', 'take'])).code, 0);
  const stderr = await refused([...global, 'verify', '--projection', 'balances', '--against', 'snapshot', '--snapshot-at', '2020-01-01']);
  assert.match(stderr, '--snapshot-at: no snapshot of balances was taken at or before 2020-01-01T00:00:00.000Z');
  assert.match(stderr, `eventlake ${global.join(' ')} snapshot list shows them): give a time at or after it`);
});

test.run();
