// `--extensions FILE`: the CLI folds the user's event types with the module's balance rules, in every command that
// dispatches (emit, run, balance), and verify folds the log with them too; without the module the type is skipped.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const EXAMPLE = resolve(fileURLToPath(new URL('../../examples/outgoing-payment', import.meta.url)));
const EVENTS = join(EXAMPLE, 'events.ndjson');
const SCHEMAS = ['--schemas', join(EXAMPLE, 'schemas')];
const WITH_RULE = [...SCHEMAS, '--extensions', join(EXAMPLE, 'eventlake.extensions.ts')];
const ACCOUNT = 'DE44-5001-0517';
// 2500.00 salary - 200.00 withdrawal, and - 1200.00 rent when the outgoing_payment rule folds it.
const WITHOUT_RENT = '2300.00';
const WITH_RENT = '1100.00';

/** `eventlake balance ACCOUNT --json` on `dataDir` (no module: whatever is dispatched already is what it reads). */
async function balanceOf(dataDir: string, extra: readonly string[] = SCHEMAS): Promise<string> {
  const r = await runCli(['--data-dir', dataDir, ...extra, 'balance', ACCOUNT, '--json']);
  assert.is(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { balance: string }).balance;
}

/** A new data dir fed the example's events by `eventlake emit`, with `extra` as its global options. */
async function emitted(extra: readonly string[]): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  const r = await runCli(['--data-dir', dataDir, ...extra, 'emit', EVENTS]);
  assert.is(r.code, 0, r.stderr);
  return dataDir;
}

/** The example's events in the log of a new data dir, appended to the log port only: nothing indexed or dispatched. */
async function undispatched(): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir, schemaFolders: [join(EXAMPLE, 'schemas')] });
  try {
    const lines = readFileSync(EVENTS, 'utf8').trim().split('\n');
    await local.log.append(lines.map((l) => local.registry.validate(JSON.parse(l))));
  } finally {
    await local.close();
  }
  return dataDir;
}

/**
 * Resolves once a running in-process command has written `text` to stderr (runCli's capture is already installed:
 * it is wrapped, and runCli puts the real one back when the command ends). Stopping `run` on a timer instead would
 * fail on a slow machine.
 */
async function stderrShows(text: string, timeoutMs = 30_000): Promise<void> {
  const capture = process.stderr.write;
  let seen = '';
  process.stderr.write = ((chunk: string | Uint8Array) => ((seen += String(chunk)), capture.call(process.stderr, chunk))) as typeof process.stderr.write;
  for (const started = Date.now(); !seen.includes(text); await new Promise((done) => setTimeout(done, 20))) {
    if (Date.now() - started > timeoutMs) throw new Error(`no "${text}" on stderr after ${timeoutMs} ms: ${seen}`);
  }
}

const test = suite('eventlake --extensions: balance rules (CLI)');

test('emit dispatches with the module: the rule folds the new type into balances', async () => {
  assert.is(await balanceOf(await emitted(WITH_RULE)), WITH_RENT);
});

test('balance catches up with the module: events it dispatches are folded by the rule', async () => {
  assert.is(await balanceOf(await undispatched(), WITH_RULE), WITH_RENT);
});

test('run dispatches with the module: events it dispatches are folded by the rule', async () => {
  const dataDir = await undispatched();
  const running = runCli(['--data-dir', dataDir, ...WITH_RULE, 'run', '--interval', '10']);
  await stderrShows('dispatched');
  process.emit('SIGINT');
  const r = await running;
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, 'dispatched 3');
  assert.is(await balanceOf(dataDir), WITH_RENT);
});

test('verify with the module folds the log with the rule: a lake fed with it passes', async () => {
  const r = await runCli(['--data-dir', await emitted(WITH_RULE), ...WITH_RULE, 'verify', '--projection', 'balances']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, 'passed');
});

test('without the module the type is skipped, as before: the balance leaves the payment out', async () => {
  assert.is(await balanceOf(await emitted(SCHEMAS)), WITHOUT_RENT);
});

test('verify without the module reports the rule\'s effect on a lake fed with it as a difference', async () => {
  const r = await runCli(['--data-dir', await emitted(WITH_RULE), ...SCHEMAS, 'verify', '--projection', 'balances']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, 'counter: expected 230000, got 110000');
});

test.run();
