// The commands the CLI suggests beyond emit, serve's log and dlq (GET /balances/ACCOUNT, rebuild and generations
// hints, the rebuild function's report, query's restore commands, status) were spelled bare, or the --config and
// --target of EVENTLAKE_CONFIG and EVENTLAKE_TARGET were dropped: pasted into a shell they ran against ./.eventlake.
// Each now repeats the global options the command ran with, quoted for a POSIX shell.

import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { followUp } from '../../cli/follow-up.ts';
import { runCli } from '../security/cli-run.ts';
import { healthyDataDir } from '../support/check-data-dir.ts';
import { runAhead } from '../support/run-ahead.ts';
import { localScenarioCopies } from '../support/local-scenario-copies.ts';
import { SAMPLES } from '../support/samples.ts';
import { suggestedAfter } from '../support/shell-words.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('suggested eventlake commands repeat the global options (the other routes)');

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const EXAMPLE = join(ROOT, 'examples/outgoing-payment');
/** A folder name a shell splits and unquotes unless it is quoted. */
const ODD = "Bob's lake $HOME";
const scenarios = localScenarioCopies({ days: 2, eventsPerDay: 20 });
const START_ENV = { ...process.env };

/** `dir` copied to a folder whose name needs quoting. */
function oddCopy(dir: string): string {
  const odd = join(tempDir(), ODD);
  cpSync(dir, odd, { recursive: true });
  return odd;
}

/** Run `work` with `vars` set in the environment (the CLI runs in this process). */
async function withEnv<T>(vars: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await work();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('EVENTLAKE_CONFIG and EVENTLAKE_TARGET are spelled as --config (absolute) and --target', () => {
  const line = followUp({ dataDir: resolve('.eventlake'), schemaFolders: [] }, { EVENTLAKE_CONFIG: 'c.json', EVENTLAKE_TARGET: 'local' })('dlq', 'list');
  assert.is(line, `eventlake --config ${resolve('c.json')} --target local dlq list`);
});

test('dlq list run with EVENTLAKE_CONFIG suggests a redrive that names the same config file', async () => {
  const config = join(tempDir(), ODD, 'eventlake.json');
  writeMaking(config, JSON.stringify({ target: 'local' }));
  const dataDir = await lakeWithDeadLetter();
  const r = await withEnv({ EVENTLAKE_CONFIG: config }, () => runCli(['--data-dir', dataDir, 'dlq', 'list']));
  assert.is(r.code, 0, r.stderr);
  assert.equal(suggestedAfter(r.stderr, 'deliver them again: '), ['eventlake', '--data-dir', dataDir, '--config', config, 'dlq', 'redrive']);
});

// The one child process of this file (serve, with an --extensions module to load) starts with the file and runs
// while the in-process tests do; its test, the last, awaits it. The environment is the file's own at the start, not
// one a withEnv test has set meanwhile.
const servedDeadLetter = runAhead([async () => {
  const module = join(tempDir(), 'throw.ext.ts');
  writeFileSync(module, `import { defineExtensions } from ${JSON.stringify(join(ROOT, 'index.ts'))};\n` +
    "export const { balanceRules } = defineExtensions({ balanceRules: { outgoing_payment: { decide: () => { throw new Error('rule broke'); } } } });\n");
  const options = ['--data-dir', join(tempDir(), ODD), '--schemas', join(EXAMPLE, 'schemas'), '--extensions', module];
  const child = spawn(process.execPath, [join(ROOT, 'bin/eventlake.js'), ...options, 'serve', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'], env: START_ENV });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += String(chunk); });
  try {
    const started = Date.now();
    while (!stderr.includes('listening on ') && Date.now() - started < 90_000) await new Promise((done) => setTimeout(done, 50));
    const url = /listening on (\S+)/.exec(stderr)?.[1];
    assert.ok(url, `serve did not start: ${stderr}`);
    const rent = readFileSync(join(EXAMPLE, 'events.ndjson'), 'utf8').split('\n')[2]!;
    assert.is((await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: rent })).status, 201);
    const answer = await fetch(`${url}/balances/DE44-5001-0517`);
    assert.is(answer.status, 404);
    const { message } = await answer.json() as { message: string };
    assert.equal(suggestedAfter(message, '(last error: Error: rule broke): '), ['eventlake', ...options, 'dlq', 'list']);
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
  }
}], 1)[0]!;

test('rebuild --no-promote suggests verify, promote and drop commands for the same data dir', async () => {
  const dataDir = oddCopy((await scenarios()).dataDir);
  const r = await runCli(['--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', '0', '--no-promote']);
  assert.is(r.code, 0, r.stderr);
  const lake = ['eventlake', '--data-dir', dataDir];
  assert.equal(suggestedAfter(r.stdout, 'check it with '), [...lake, 'verify', '--projection', 'balances', '--generation', '2']);
  assert.equal(suggestedAfter(r.stdout, 'promote it with '), [...lake, 'generations', 'promote', '2', '--projection', 'balances']);
  assert.equal(suggestedAfter(r.stdout, 'free it with '), [...lake, 'generations', 'drop', '2', '--projection', 'balances']);
});

test('generations drop of a word that is no generation number suggests the generations list of the same data dir', async () => {
  const dataDir = join(tempDir(), ODD);
  const r = await runCli(['--data-dir', dataDir, 'generations', 'drop', 'two', '--projection', 'balances']);
  assert.is(r.code, 1, r.stderr);
  assert.equal(suggestedAfter(r.stderr, 'is not a generation number ('), ['eventlake', '--data-dir', dataDir, 'generations', 'list', 'shows', 'them']);
});

test('the rebuild function\'s kept generation suggests verify and drop commands with the data dir and config given', async () => {
  const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
  const { mockClient } = await import('aws-sdk-client-mock');
  const lambda = mockClient(LambdaClient);
  const plan = {
    projection: 'balances', from: 0, until: 1, baseMark: 0, mark: 1, events: { count: 1, bytes: 1, objects: 1 }, tiers: [],
    restores: { GLACIER: { objects: 0, bytes: 0 }, DEEP_ARCHIVE: { objects: 0, bytes: 0 } }, estimates: [], warnings: [],
  };
  const built = { projection: 'balances', generation: 4, checkpoint: { applied: 1, duplicates: 0, skipped: 0 }, rehydrated: { objects: 0, requested: {}, alreadyReadable: 0, polls: 0 }, phases: [], objectsRead: 1, eventsPerSecond: 1 };
  const verification = { projection: 'balances', generation: 4, against: 'log', reference: 'the log', mark: 1, passed: true, accounts: 0, rows: 0, differences: [] };
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify({ status: 'built', plan, built, verification })) } as never);
  const config = join(tempDir(), ODD, 'eventlake.json');
  writeMaking(config, JSON.stringify({ target: 'aws', region: 'eu-west-1', bucket: 'b', indexTable: 'i', controlTable: 'c', rebuildFunction: 'f' }));
  const dataDir = join(tempDir(), 'data');
  try {
    const r = await runCli(['--data-dir', dataDir, '--config', config, 'rebuild', '--projection', 'balances', '--from', '0', '--until', '1970-01-01T00:00:01Z', '--remote']);
    assert.is(r.code, 0, r.stderr);
    const lake = ['eventlake', '--data-dir', dataDir, '--config', config];
    assert.equal(suggestedAfter(r.stdout, 'check it with '), [...lake, 'verify', '--projection', 'balances', '--generation', '4']);
    assert.equal(suggestedAfter(r.stdout, 'free it with '), [...lake, 'generations', 'drop', '4', '--projection', 'balances']);
  } finally {
    lambda.restore();
  }
});

test('query over unrestored objects prints a restore command that, pasted, restores them in the same data dir', async () => {
  const dataDir = oddCopy(await healthyDataDir());
  const range = ['--since', '2024-01-01T00:00Z', '--until', '2024-01-01T03:00Z'];
  const before = await runCli(['--data-dir', dataDir, 'query', ...range]);
  const [program, ...args] = suggestedAfter(before.stderr, 'restore them first: ', /\n/);
  assert.equal([program, ...args.slice(0, 4)], ['eventlake', '--data-dir', dataDir, 'restore', '--keys']);
  assert.is((await runCli(args)).code, 0);
  assert.not.match((await runCli(['--data-dir', dataDir, 'query', ...range])).stderr, 'not restored');
});

test('status suggests the dlq list of the same data dir when there are dead letters', async () => {
  const dataDir = await lakeWithDeadLetter();
  const r = await runCli(['--data-dir', dataDir, 'status']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(suggestedAfter(r.stdout, 'balances 1 (`', /`/), ['eventlake', '--data-dir', dataDir, 'dlq', 'list']);
});

test('balance of an account no event touched suggests the balance listing of the same data dir', async () => {
  const dataDir = await lakeWithDeadLetter();
  const r = await runCli(['--data-dir', dataDir, 'balance', 'NO-SUCH-ACCOUNT']);
  assert.is(r.code, 1, r.stderr);
  assert.equal(suggestedAfter(r.stderr, "and '-', and `", /`/), ['eventlake', '--data-dir', dataDir, 'balance']);
});

/** A data dir whose name needs quoting, with one stored deposit dead-lettered on balances. */
async function lakeWithDeadLetter(): Promise<string> {
  const dataDir = join(tempDir(), ODD);
  const local = await openLocalEventlake({ dataDir });
  try {
    const [stored] = await local.lake.emit(SAMPLES['cash_deposit']!);
    await local.deadLetters.add({ id: stored!.id, target: 'balances', error: 'boom', attempts: 8, failedAt: 0 });
  } finally {
    await local.close();
  }
  return dataDir;
}

/** `content` written to `file`, its folder made first. */
function writeMaking(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

// Last: its child has run beside the in-process tests above by now.
test('GET /balances/ACCOUNT of a dead-lettered account suggests the dlq list of the served data dir, schemas and extensions', () => servedDeadLetter);

test.run();
