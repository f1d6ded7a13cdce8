// `eventlake verify --against log` after dispatch dead-lettered events of the projection (here COUNTER_OUT_OF_RANGE
// on balances): the mismatch is still a failure, and the report now says the dead letters explain it, naming their
// count, the dlq command and the accounts they touch (text and --json).

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { fixtureCopies } from '../support/fixture-copies.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('verify --against log: dead letters of the projection are noted');

const BIG = 'BIG-0001';
const payment = (n: number, account: string, amount: string): DomainEvent => ({
  ...SAMPLES['incoming_payment']!, TargetAccount: account, Amount: amount, EventTimeStamp: 1_700_000_000 + n,
  RequestId: `018f2b6c-0000-7000-8000-${String(n).padStart(12, '0')}`,
});

/** 5.00 to SMALL-0001, then 100 near-maximal payments to BIG-0001: the last ones leave SQLite's range and are dead-lettered. */
const overflowed = fixtureCopies(async () => {
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir, dispatch: { baseDelayMs: 0, maxDelayMs: 0 } });
  try {
    await local.lake.emit([payment(0, 'SMALL-0001', '5.00')]);
    await local.lake.emit(Array.from({ length: 100 }, (_, i) => payment(i + 1, BIG, '999999999999999.99')));
  } finally {
    await local.close();
  }
  return dataDir;
});

test('the text report fails and notes the dead letters, the dlq command and the accounts they explain', async () => {
  const dataDir = await overflowed();
  const r = await runCli(['--data-dir', dataDir, 'verify', '--projection', 'balances', '--against', 'log']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /FAILED/);
  const note = /\n {2}note: (\d+) event\(s\) of this projection are dead-lettered \((.*)\); they explain differences on accounts BIG-0001\n/.exec(r.stdout);
  assert.ok(note, r.stdout);
  assert.ok(Number(note[1]) > 0 && Number(note[1]) < 100, note[1]);
  assert.match(note[2]!, `--data-dir ${dataDir} dlq list --projection balances`);
});

test('--json carries the same note with the count and the accounts, and passed stays false', async () => {
  const dataDir = await overflowed();
  const r = await runCli(['--data-dir', dataDir, 'verify', '--projection', 'balances', '--against', 'log', '--json']);
  assert.is(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { passed: boolean; deadLetters?: { events: number; accounts: string[]; note: string } };
  assert.is(report.passed, false);
  assert.equal(report.deadLetters?.accounts, [BIG]);
  assert.ok((report.deadLetters?.events ?? 0) > 0);
  assert.match(report.deadLetters?.note ?? '', 'of this projection are dead-lettered');
});

test.run();
