// An emit is acknowledged once its events are durable: a failure to index or dispatch them right after does not
// turn a stored event into a reported failure, and the next read catches up.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../projections/runtime.ts';
import { decorateWith } from '../support/faults.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('Eventlake.emit when the catch-up after the append fails');
const deposit = SAMPLES['cash_deposit']!;

/** A runtime whose indexer's first write fails (the catch-up right after the first emit), collecting what it is told. */
async function withFirstCatchUpFailing(fn: (local: LocalEventlake, told: unknown[]) => Promise<void>): Promise<void> {
  const told: unknown[] = [];
  const local = await openLocalEventlake({
    dataDir: tempDir(),
    decorate: decorateWith({ index: { method: 'putWithCursor', failFirst: 1 } }),
    onCatchUpError: (error) => told.push(error),
  });
  try {
    await fn(local, told);
  } finally {
    await local.close();
  }
}

test('an emit whose indexing fails still reports its events stored, and says why projections lag', () => withFirstCatchUpFailing(async (local, told) => {
  const [r] = await local.lake.emit(deposit);
  assert.is(r!.status, 'stored');
  assert.is(told.length, 1);
  assert.instance(told[0], Error);
}));

test('the next read catches up what the failed catch-up left', () => withFirstCatchUpFailing(async (local) => {
  await local.lake.emit(deposit);
  assert.is(await local.lake.balance('DE44-5001-0517'), '123.45');
  assert.is(await local.index.count(), 1);
}));

test('a retried emit of the same events answers duplicate, and the balance counts them once', () => withFirstCatchUpFailing(async (local) => {
  await local.lake.emit(deposit);
  const [again] = await local.lake.emit(deposit);
  assert.is(again!.status, 'duplicate');
  assert.is(await local.lake.balance('DE44-5001-0517'), '123.45');
}));

test.run();
