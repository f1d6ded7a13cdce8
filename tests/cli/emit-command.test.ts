// The CLI as a user runs it: bin/eventlake.js in a child process, on a fresh data directory. What a test only sets up
// or reads back to check (events stored beforehand, balances after) goes through the library or main() in-process: a
// child process costs a second or two of start-up. The tests' cases are independent (a data dir each) and run ahead,
// two at a time; the in-process runs take turns, since runCli captures this process's stdout.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { balancesProjection } from '../../domain/balances.ts';
import { generateEvents } from '../../domain/generator.ts';
import { formatAmount } from '../../domain/money.ts';
import { foldEvents } from '../../domain/projection.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { runCli } from '../security/cli-run.ts';
import { serially, testsAhead } from '../support/run-ahead.ts';
import { tempDir } from '../support/tmp.ts';

const BIN = new URL('../../bin/eventlake.js', import.meta.url).pathname;
const suiteTests = suite('eventlake emit / validate / balance / events (CLI)');
const ahead = testsAhead(suiteTests);
const test = ahead.test;
const inProcess = serially(runCli);

function cli(dataDir: string, args: string[], input?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], { timeout: 120_000 });
    let [out, err] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out, err }));
    child.stdin.end(input ?? '');
  });
}

function files(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.event'));
  } catch {
    return [];
  }
}

test('a few thousand events emitted from NDJSON give the balances of the direct fold', async () => {
  const dir = tempDir();
  const events = generateEvents({ accounts: 50, days: 3, eventsPerDay: 1000, start: 1_700_000_000, seed: 7 });
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
  const emitted = await cli(dir, ['emit', file, '--json']);
  assert.is(emitted.code, 0, emitted.err);
  const lines = emitted.out.trim().split('\n').map((l) => JSON.parse(l) as { status: string });
  assert.is(lines.length, events.length);
  assert.ok(lines.every((l) => l.status === 'stored'));
  const balances = await inProcess(['--data-dir', dir, 'balance', '--json']);
  assert.is(balances.code, 0, balances.stderr);
  const got = Object.fromEntries(balances.stdout.trim().split('\n').map((l) => JSON.parse(l) as { account: string; balance: string }).map((b) => [b.account, b.balance]));
  const expected = Object.fromEntries([...foldEvents(balancesProjection, events).counters].map(([k, v]) => [k, formatAmount(v)]));
  assert.equal(got, expected);
});

test('emitting the same input twice reports duplicates and changes nothing', async () => {
  // The first emit only sets the scene (through the library); the child under test is the second, of the same input.
  const dir = await emittedDataDir([SAMPLES['cash_deposit']!, SAMPLES['cash_withdrawal']!]);
  const input = JSON.stringify([SAMPLES['cash_deposit'], SAMPLES['cash_withdrawal']]);
  const again = await cli(dir, ['emit', '--json'], input);
  assert.is(again.code, 0, again.err);
  assert.equal(again.out.trim().split('\n').map((l) => (JSON.parse(l) as { status: string }).status), ['duplicate', 'duplicate']);
  assert.match((await inProcess(['--data-dir', dir, 'balance', 'DE44-5001-0517'])).stdout, '-76.55');
});

test('one bad event in an input writes nothing of it and names the field', async () => {
  const dir = join(tempDir(), 'data');
  const input = [SAMPLES['cash_deposit'], variant('cash_withdrawal', { Amount: '12' })].map((e) => JSON.stringify(e)).join('\n');
  const r = await cli(dir, ['emit'], input);
  assert.is(r.code, 1);
  assert.match(r.err, 'BATCH_REJECTED');
  assert.match(r.err, '#1');
  assert.match(r.err, '/Amount');
  assert.equal(files(dir), []);
  assert.is(existsSync(dir), false, 'a rejected emit leaves no data directory behind');
});

test('the same identity with other content is a conflict with a non-zero exit', async () => {
  const dir = await emittedDataDir([SAMPLES['incoming_payment']!]);
  const r = await cli(dir, ['emit'], JSON.stringify(variant('incoming_payment', { Amount: '1.00' })));
  assert.is(r.code, 1);
  assert.match(r.err, 'EVENT_CONFLICT');
  assert.match((await inProcess(['--data-dir', dir, 'balance', 'DE44-5001-0517'])).stdout, '123.45');
});

test('validate checks without writing, not even a data directory', async () => {
  const dir = join(tempDir(), 'data');
  const [ok, bad] = await Promise.all([cli(dir, ['validate'], JSON.stringify(SAMPLES['inter_account_transfer'])), cli(dir, ['validate'], '{"EventType":"cash_deposit"')]);
  assert.is(ok.code, 0, ok.err);
  assert.match(ok.out, 'inter_account_transfer');
  assert.equal(files(dir), []);
  assert.is(bad.code, 1);
  assert.match(bad.err, 'INVALID_ARGUMENT');
  assert.is(existsSync(dir), false);
});

test('events lists the index by time range, type and account', async () => {
  const dir = await emittedDataDir(Object.values(SAMPLES));
  const [r, byAccount] = await Promise.all([
    cli(dir, ['events', '--since', '2009-02-13T23:00:00Z', '--until', '2009-02-14T01:00:00Z', '--type', 'cash_withdrawal', '--json']),
    cli(dir, ['events', '--since', '0', '--account', 'NL91-ABNA-0417', '--json']),
  ]);
  assert.is(r.code, 0, r.err);
  const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { id: string });
  assert.equal(rows.map((x) => x.id), ['cash_withdrawal_9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c2d']);
  assert.is(byAccount.out.trim().split('\n').length, 1);
});

test('an unknown account is a clear error, a usage error exits 2', async () => {
  const dir = await emptyDataDir();
  const [r, usage] = await Promise.all([cli(dir, ['balance', 'NOPE-0000']), cli(dir, ['events'])]);
  assert.is(r.code, 1);
  assert.match(r.err, 'NOPE-0000');
  assert.is(usage.code, 2);
});

ahead.run();
suiteTests.run();
