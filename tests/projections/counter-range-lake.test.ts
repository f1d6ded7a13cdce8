// A local lake fed one account's payments until its balance would leave SQLite's 64-bit range (the walkthrough: 5.00
// to SMALL-0001, 100 of the largest amount to BIG-0001, 7.00 to SMALL-0001, in one emit): only the events whose own
// change leaves the range are dead-lettered, with COUNTER_OUT_OF_RANGE; every other event, then and later, is applied.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/index.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { formatAmount } from '../../domain/money.ts';
import { eventlakeStatus } from '../../projections/status.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('a balance that would leave the 64-bit range on a local lake');

/** The largest amount the schema allows, in cents: 92 of them fit in 2^63 - 1, the 93rd does not. */
const LARGEST = 99_999_999_999_999_999n;

let serial = 0;
function payment(account: string, amount: string): DomainEvent {
  serial++;
  return {
    EventType: 'incoming_payment', SchemaVersion: 1, RequestId: `018f2b6c-0000-7000-8000-${String(serial).padStart(12, '0')}`,
    EventTimeStamp: 1_700_000_000 + serial, TargetAccount: account, Amount: amount, SourceInstitution: 'Other Bank', SourceAccount: 'remote 0001',
  };
}

const big = Array.from({ length: 100 }, () => payment('BIG-0001', '999999999999999.99'));
const walkthrough = [payment('SMALL-0001', '5.00'), ...big, payment('SMALL-0001', '7.00')];
const overflowing = big.slice(92).map((e) => eventId(e));

/** Runs `body` on a fresh local lake after the walkthrough's one emit; catch-up errors are collected, not printed. */
function afterWalkthrough(body: (local: LocalEventlake, catchUpErrors: unknown[]) => Promise<void>): () => Promise<void> {
  return async () => {
    const catchUpErrors: unknown[] = [];
    const local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake'), onCatchUpError: (e) => { catchUpErrors.push(e); } });
    try {
      const results = await local.lake.emit(walkthrough);
      assert.ok(results.every((r) => r.status === 'stored'), 'every event stored');
      await body(local, catchUpErrors);
    } finally {
      await local.close();
    }
  };
}

test('every other account is applied, and the big one up to its last payment that fits', afterWalkthrough(async (local) => {
  assert.is(await local.lake.balance('SMALL-0001'), '12.00');
  assert.is(await local.lake.balance('BIG-0001'), formatAmount(92n * LARGEST));
}));

test('only the payments whose own change leaves the range are dead-lettered, at once, with COUNTER_OUT_OF_RANGE', afterWalkthrough(async (local) => {
  const letters = await local.deadLetters.list();
  assert.equal(letters.map((l) => l.id).sort(), [...overflowing].sort());
  for (const letter of letters) {
    assert.is(letter.target, 'balances');
    assert.is(letter.attempts, 1, 'no retry changes a value');
    assert.match(letter.error, `COUNTER_OUT_OF_RANGE: projection balances: event ${letter.id} changes counter BIG-0001 by ${LARGEST}`);
  }
}));

test('dispatch is not stalled: it reached the last event, and status says no stall', afterWalkthrough(async (local, catchUpErrors) => {
  assert.equal(catchUpErrors, []);
  assert.is(await local.dispatchedPosition(), await local.index.lastPosition());
  assert.is((await eventlakeStatus(local)).dispatchStalled, undefined);
}));

test('later events, to any account, are applied', afterWalkthrough(async (local) => {
  await local.lake.emit([payment('SMALL-0001', '1.00'), payment('OTHER-0001', '3.00')]);
  assert.is(await local.lake.balance('SMALL-0001'), '13.00');
  assert.is(await local.lake.balance('OTHER-0001'), '3.00');
}));

test('a redrive fails the letters again with the same error and applies none of them', afterWalkthrough(async (local) => {
  assert.equal(await local.redriveDeadLetters(), { redriven: 0, failed: overflowing.length });
  const letters = await local.deadLetters.list();
  assert.is(letters.length, overflowing.length);
  assert.ok(letters.every((l) => l.error.startsWith('COUNTER_OUT_OF_RANGE: ') && l.attempts === 2), 'one more attempt each, same error');
  assert.is(await local.lake.balance('BIG-0001'), formatAmount(92n * LARGEST));
}));

test.run();
