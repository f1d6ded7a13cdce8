// Merging replay sources (replay-source.ts mergedReplayOrder): what a verification's fold reads when its range is two
// ranges (an `until` rebuild), one replay order, a chunk at a time, each source paged.

import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compareEvents } from '../../../domain/event.ts';
import type { ReplayEntry } from '../../../projections/rebuild/deps.ts';
import { mergedReplayOrder, type ReplaySource } from '../../../projections/rebuild/replay-source.ts';

const test = suite('merged replay order');

const entry = (timestamp: number, id: string, position: number): ReplayEntry =>
  ({ id, timestamp, position, storageClass: 'STANDARD', location: { key: `k${position}` } });

/** A source handing out `entries` (sorted here) in pages, counting the calls. */
function source(entries: ReplayEntry[]): ReplaySource & { calls: number } {
  const left = entries.slice().sort(compareEvents);
  return { remaining: left.length, archivedKeys: [], calls: 0, async next(size) { this.calls++; return left.splice(0, size); } };
}

async function drain(sources: ReplaySource[], size: number): Promise<ReplayEntry[][]> {
  const chunks: ReplayEntry[][] = [];
  for await (const chunk of mergedReplayOrder(sources, size)) chunks.push(chunk);
  return chunks;
}

test('interleaved sources come out as one replay order, in chunks of the size asked', async () => {
  const a = source([entry(1, 'a', 1), entry(3, 'c', 2), entry(5, 'e', 3), entry(5, 'f', 4)]);
  const b = source([entry(2, 'b', 5), entry(3, 'b', 6), entry(6, 'g', 7)]);
  const chunks = await drain([a, b], 3);
  assert.equal(chunks.map((c) => c.map((e) => `${e.timestamp}${e.id}`)), [['1a', '2b', '3b'], ['3c', '5e', '5f'], ['6g']]);
});

test('any two sources merge into exactly their entries, sorted, with no chunk over the size', async () => {
  const entries = fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.constantFrom('a', 'b', 'c', 'd')), { maxLength: 30 });
  await fc.assert(fc.asyncProperty(entries, entries, fc.integer({ min: 1, max: 7 }), async (left, right, size) => {
    let position = 0;
    const all = [...left, ...right].map(([ts, id]) => entry(ts, `${id}${position}`, position++));
    const chunks = await drain([source(all.slice(0, left.length)), source(all.slice(left.length))], size);
    assert.ok(chunks.every((c) => c.length > 0 && c.length <= size));
    assert.equal(chunks.flat(), all.slice().sort(compareEvents));
  }), { numRuns: 200 });
});

test('one source is handed out page by page as it comes', async () => {
  const only = source([entry(1, 'a', 1), entry(2, 'b', 2), entry(3, 'c', 3)]);
  assert.equal((await drain([only], 2)).map((c) => c.length), [2, 1]);
  assert.is(only.calls, 3, 'two pages, then the empty one that ends it');
});

test.run();
