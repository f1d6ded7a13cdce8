// compactInBackground refuses delays Node's timers do not keep (past 2^31-1 ms, negative, NaN): each fires after
// 1 ms, so a library caller's compactEvery of a month ran compactions back to back, taking the archive lease each time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { compactInBackground, type HotCompactionDeps } from '../../projections/background-compaction.ts';
import { LONGEST_TIMER_MS } from '../../projections/longest-timer.ts';
import { thrown } from '../support/thrown.ts';

/** Never reached: every call here is refused before a run is scheduled. */
const deps = {} as HotCompactionDeps;
const told = { compacted: () => undefined, failed: () => undefined };

const test = suite('compactInBackground delays');

test('an everyMs a timer does not keep is refused naming everyMs and the longest one', () => {
  for (const everyMs of [LONGEST_TIMER_MS + 1, 40_000 * 60_000, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    const error = thrown(() => compactInBackground(deps, { everyMs, ...told }), InvalidArgumentError);
    assert.is(error.message, `everyMs: must be ms from 0 to 2147483647 (about 24 days), the longest a timer waits; got ${String(everyMs)}`);
  }
});

test('a firstAfterMs a timer does not keep is refused naming firstAfterMs', () => {
  const error = thrown(() => compactInBackground(deps, { everyMs: 60_000, firstAfterMs: LONGEST_TIMER_MS + 1, ...told }), InvalidArgumentError);
  assert.match(error.message, /^firstAfterMs: must be ms from 0 to 2147483647/);
});

test('the longest delay a timer keeps is taken, and stops at once', async () => {
  await compactInBackground(deps, { everyMs: LONGEST_TIMER_MS, firstAfterMs: LONGEST_TIMER_MS, ...told }).stop();
});

test.run();
