// `balance ACCOUNT` and `statement ACCOUNT` for an account some of whose events were dead-lettered (here
// COUNTER_OUT_OF_RANGE on balances, which statement folds): they printed different totals and neither said why. Both
// now warn on stderr with the count, the projection and the `dlq list --projection P` to run.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('balance and statement: dead letters of the account are warned about');

const BIG = 'BIG-0001';
const SMALL = 'SMALL-0001';
const payment = (n: number, account: string, amount: string): DomainEvent => ({
  ...SAMPLES['incoming_payment']!, TargetAccount: account, Amount: amount, EventTimeStamp: 1_700_000_000 + n,
  RequestId: `018f2b6c-0000-7000-8000-${String(n).padStart(12, '0')}`,
});

/** 5.00 to SMALL, 100 near-maximal payments to BIG (the last few leave SQLite's range), 7.00 to SMALL. */
async function overflowed(): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir, dispatch: { baseDelayMs: 0, maxDelayMs: 0 } });
  try {
    await local.lake.emit([payment(0, SMALL, '5.00')]);
    await local.lake.emit(Array.from({ length: 100 }, (_, i) => payment(i + 1, BIG, '999999999999999.99')));
    await local.lake.emit([payment(101, SMALL, '7.00')]);
  } finally {
    await local.close();
  }
  return dataDir;
}

const DEAD = /eventlake: warning: (\d+) events touching BIG-0001 are dead-lettered on balances \(last error: .*COUNTER_OUT_OF_RANGE/;

test('balance of an account with dead letters on balances warns with their count and dlq list --projection balances', async () => {
  const dataDir = await overflowed();
  const r = await runCli(['--data-dir', dataDir, 'balance', BIG]);
  assert.is(r.code, 0, r.stderr);
  const count = Number(DEAD.exec(r.stderr)?.[1]);
  assert.ok(count > 0 && count < 100, r.stderr);
  assert.match(r.stderr, `so balances leaves them out: \`eventlake --data-dir ${dataDir} dlq list --projection balances\`\n`);
});

test('statement of that account warns of the dead letters on balances its balance column does not leave out', async () => {
  const dataDir = await overflowed();
  const r = await runCli(['--data-dir', dataDir, 'statement', BIG]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, DEAD);
  assert.match(r.stderr, `\`eventlake --data-dir ${dataDir} dlq list --projection balances\``);
});

test('an account none of whose events is dead-lettered gets no warning, from balance or statement', async () => {
  const dataDir = await overflowed();
  for (const command of ['balance', 'statement']) {
    const r = await runCli(['--data-dir', dataDir, command, SMALL]);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, '', command);
  }
});

test.run();
