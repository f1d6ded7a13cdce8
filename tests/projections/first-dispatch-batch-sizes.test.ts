// DrainBatchSizes: the page sizes of one dispatch drain.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DISPATCH_BATCH, DrainBatchSizes, SLOW_DISPATCH_BATCH_MS } from '../../projections/dispatch-batch-size.ts';

const test = suite('DrainBatchSizes');

/** The sizes `sizes` hands out over `n` batches, each taking `ms`. */
function sequence(sizes: DrainBatchSizes, n: number, clock: { t: number }, ms: number): number[] {
  return Array.from({ length: n }, () => {
    const size = sizes.next();
    clock.t += ms;
    sizes.done();
    return size;
  });
}

test('quick batches double from DISPATCH_BATCH and stop growing at 65,536 events', () => {
  const clock = { t: 0 };
  const got = sequence(new DrainBatchSizes({ now: () => clock.t }), 8, clock, 999);
  assert.equal(got, [DISPATCH_BATCH, 4_000, 8_000, 16_000, 32_000, 64_000, 65_536, 65_536]);
});

test('a batch that takes a second keeps the size of the next one', () => {
  const clock = { t: 0 };
  const sizes = new DrainBatchSizes({ now: () => clock.t });
  assert.equal([...sequence(sizes, 2, clock, 10), ...sequence(sizes, 2, clock, 1_000)], [DISPATCH_BATCH, 4_000, 8_000, 8_000]);
});

test('a batch that took SLOW_DISPATCH_BATCH_MS or more halves the next one, down to DISPATCH_BATCH', () => {
  const clock = { t: 0 };
  const sizes = new DrainBatchSizes({ now: () => clock.t });
  const got = [...sequence(sizes, 3, clock, 10), ...sequence(sizes, 4, clock, SLOW_DISPATCH_BATCH_MS)];
  assert.equal(got, [DISPATCH_BATCH, 4_000, 8_000, 16_000, 8_000, 4_000, DISPATCH_BATCH]);
});

test('a given batchSize is handed out unchanged, quick or slow', () => {
  const clock = { t: 0 };
  const sizes = new DrainBatchSizes({ batchSize: 7, now: () => clock.t });
  assert.equal([...sequence(sizes, 2, clock, 0), ...sequence(sizes, 2, clock, SLOW_DISPATCH_BATCH_MS)], [7, 7, 7, 7]);
});

test.run();
