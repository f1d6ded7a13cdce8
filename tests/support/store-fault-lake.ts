// A local eventlake whose projection store fails its first applies with a chosen error: for the tests that such a
// failure (a lock, a store it cannot write) dead-letters nothing, and the dispatch tail's retry delivers the events.

import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { decorateWith } from './faults.ts';
import { SAMPLES } from './samples.ts';
import { tempDir } from './tmp.ts';

/**
 * Emits one deposit into a lake whose store's first two applies (one per built-in projection, as the dispatcher makes
 * one attempt each) throw `error()`, then asserts it is stored, nothing is dead-lettered and its balance is applied.
 */
export async function assertAppliedAfterStoreFaults(error: () => Error): Promise<void> {
  const local = await openLocalEventlake({
    dataDir: tempDir(),
    decorate: decorateWith({ store: { method: 'apply', failFirst: 2, error } }),
    dispatch: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    onCatchUpError: () => undefined,
  });
  try {
    const [r] = await local.lake.emit(SAMPLES['cash_deposit']!);
    assert.is(r!.status, 'stored');
    assert.equal(await local.deadLetters.list(), []);
    assert.is(await local.lake.balance('DE44-5001-0517'), '123.45');
  } finally {
    await local.close();
  }
}
