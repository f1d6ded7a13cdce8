// StreamedRowComparison: rows of a side streamed one at a time (in any order) compare exactly as compareStates
// compares the two sides held whole, and the streamed side's keys are asked for again only when a row is missing.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { compareCounters, compareStates, sortDifferences, StreamedRowComparison, type Compared } from '../../../projections/rebuild/compare.ts';
import type { JsonObject } from '../../../domain/event.ts';

const test = suite('StreamedRowComparison');

type Rows = Compared['rows'];
const row = (partition: string, amount: string): { partition: string; value: JsonObject } => ({ partition, value: { amount, note: 'x' } });

/** Streams `actual` into a comparison with `expected`, in `order`; returns its differences and how often keys were asked for. */
async function streamed(expected: Rows, actual: Rows, order: readonly number[] = []): Promise<{ differences: unknown[]; asked: number }> {
  const comparison = new StreamedRowComparison(expected);
  const entries = [...actual];
  const shuffled = order.length === entries.length ? order.map((i) => entries[i]!) : entries;
  for (const [key, r] of shuffled) comparison.visit(key, r);
  let asked = 0;
  const rows = await comparison.differences(async () => { asked++; return new Set(actual.keys()); });
  return { differences: sortDifferences(rows), asked };
}

test('equal sides give no difference, and the streamed keys are not asked for again', async () => {
  const rows: Rows = new Map([['k1', row('A', '1.00')], ['k2', row('B', '2.00')]]);
  const { differences, asked } = await streamed(rows, new Map(rows));
  assert.equal(differences, []);
  assert.is(asked, 0);
});

test('a changed, an extra and a missing row are each reported as compareStates reports them', async () => {
  const expected: Rows = new Map([['k1', row('A', '1.00')], ['k2', row('B', '2.00')], ['k3', row('A', '3.00')]]);
  const actual: Rows = new Map([['k1', row('A', '1.50')], ['k3', row('A', '3.00')], ['k4', row('C', '4.00')]]);
  const { differences, asked } = await streamed(expected, actual);
  const whole = compareStates({ counters: new Map(), rows: expected }, { counters: new Map(), rows: actual });
  assert.equal(differences, whole);
  assert.equal(whole.map((d) => d.key), ['A/k1', 'B/k2', 'C/k4']);
  assert.is(asked, 1);
});

test('a row moved to another partition is a difference, though its key and value are the same', async () => {
  const expected: Rows = new Map([['k1', row('A', '1.00')]]);
  const { differences } = await streamed(expected, new Map([['k1', row('B', '1.00')]]));
  assert.is(differences.length, 1);
});

test('any two sides, streamed in any order, differ exactly as compareStates says (property)', async () => {
  const side = fc.dictionary(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6'),
    fc.record({ partition: fc.constantFrom('A', 'B'), amount: fc.constantFrom('1.00', '2.00') }), { maxKeys: 6 });
  const counters = fc.dictionary(fc.constantFrom('A', 'B', 'C'), fc.bigInt({ min: -3n, max: 3n }), { maxKeys: 3 });
  await fc.assert(fc.asyncProperty(side, side, counters, counters, fc.array(fc.nat(), { maxLength: 6 }), async (e, a, ec, ac, seed) => {
    const toRows = (d: Record<string, { partition: string; amount: string }>): Rows => new Map(Object.entries(d).map(([k, v]) => [k, row(v.partition, v.amount)]));
    const [expected, actual] = [toRows(e), toRows(a)];
    // A permutation of the streamed side from the seed: a store streams its rows in its own order.
    const order = [...actual.keys()].map((_, i) => i).sort((x, y) => ((seed[x] ?? x) - (seed[y] ?? y)) || x - y);
    const { differences } = await streamed(expected, actual, order);
    const [expectedCounters, actualCounters] = [new Map(Object.entries(ec)), new Map(Object.entries(ac))];
    const combined = sortDifferences([...compareCounters(expectedCounters, actualCounters), ...(differences as ReturnType<typeof compareStates>)]);
    assert.equal(combined, compareStates({ counters: expectedCounters, rows: expected }, { counters: actualCounters, rows: actual }));
  }), { numRuns: 300 });
});

test.run();
