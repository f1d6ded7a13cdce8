// A rebuild replaying an event whose change takes a counter beyond SQLite's 64-bit range (an event dispatch
// dead-lettered): it stops with CounterRangeError naming the event and its position, never STORAGE_FAILED, keeps its
// generation unfinished at the batch before, and leaves the live generation serving what dispatch applied.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../../adapters/local/index.ts';
import { CounterRangeError } from '../../../domain/errors.ts';
import { eventId } from '../../../domain/event.ts';
import { formatAmount } from '../../../domain/money.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { readCheckpoint } from '../../../projections/rebuild/replay.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';
import { largestPayments } from '../balance-fold-differential-cases.ts';

const test = suite('a rebuild meeting a counter beyond 64 bits');
const LARGEST = 99_999_999_999_999_999n;
const payments = largestPayments(95);
const first = eventId(payments[92]!);

/** Runs `body` on a local lake whose payments were emitted and dispatched (the last three dead-lettered). */
async function withOverflowingLake(body: (coordinator: RebuildCoordinator, local: LocalEventlake) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake') });
  try {
    await local.lake.emit(payments);
    await body(new RebuildCoordinator(local, local.projections), local);
  } finally {
    await local.close();
  }
}

/** A rebuild of balances from nothing, as `eventlake rebuild --projection balances --from 0` runs it, in batches of 40. */
async function rebuild(coordinator: RebuildCoordinator) {
  return coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { batchSize: 40 });
}

test('stops with CounterRangeError naming the first event that leaves the range and its position', () =>
  withOverflowingLake(async (coordinator) => {
    const error = await rejects(() => rebuild(coordinator), CounterRangeError);
    assert.equal([error.code, error.range.eventId, error.range.key], ['COUNTER_OUT_OF_RANGE', first, 'DE44-5001-0517']);
    assert.match(error.message, `event ${first} (position 93) changes counter DE44-5001-0517`);
    assert.match(error.message, 'keeps generation 2 unfinished at its last checkpoint');
  }));

test('says what of the batch may be applied in words true of every store, not "nothing of that batch"', () =>
  withOverflowingLake(async (coordinator) => {
    const error = await rejects(() => rebuild(coordinator), CounterRangeError);
    // DynamoDB applies a batch per event: the events before the refused one stay applied, a rerun sees duplicates.
    assert.match(error.message, 'a rerun counts them as duplicates');
    assert.not.match(error.message, 'nothing of that batch');
  }));

test('keeps its generation at the batch before the event, and the live generation live with what dispatch applied', () =>
  withOverflowingLake(async (coordinator, local) => {
    await rejects(() => rebuild(coordinator), CounterRangeError);
    const checkpoint = await readCheckpoint(local, 'balances', 2);
    assert.equal([checkpoint?.phase, checkpoint?.applied], ['replaying', 80]);
    assert.is(await local.store.liveGeneration('balances'), 1);
    assert.is(await local.lake.balance('DE44-5001-0517'), formatAmount(92n * LARGEST));
    assert.is((await local.deadLetters.list('balances')).length, 3);
  }));

test('run again, it stops at the same event: the generation is never built without it', () =>
  withOverflowingLake(async (coordinator) => {
    await rejects(() => rebuild(coordinator), CounterRangeError);
    const again = await rejects(() => rebuild(coordinator), CounterRangeError);
    assert.is(again.range.eventId, first);
  }));

test.run();
