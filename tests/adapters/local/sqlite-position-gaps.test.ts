// Why local positions skip numbers: an `INSERT OR IGNORE` of an id already indexed (a second indexer re-putting the
// journal page another one committed first) burns an AUTOINCREMENT value. Harmless: no event is indexed twice and
// positions still grow in commit order; only counting by subtracting positions is wrong.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { hotEntry } from '../../support/index-entries.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('SqliteEventIndex position gaps');
const T = 1_700_000_000;

function withIndex(work: (index: SqliteEventIndex) => Promise<void>): () => Promise<void> {
  return async () => {
    const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
    try {
      await work(index);
    } finally {
      index.close();
    }
  };
}

test('a re-put of an already indexed id burns a position: the next new event skips it', withIndex(async (index) => {
  await index.put([hotEntry('a', T), hotEntry('b', T)]);
  await index.put([hotEntry('a', T), hotEntry('b', T)]);
  const [c] = await index.put([hotEntry('c', T)]);
  assert.is(c!.position, 5);
}));

test('a re-put indexes no event twice and answers the position the event already has', withIndex(async (index) => {
  await index.put([hotEntry('a', T)]);
  const [again] = await index.put([hotEntry('a', T)]);
  assert.is(again!.position, 1);
  assert.is(await index.count(), 1);
}));

test('positions after a gap still grow in commit order, so a tail reading after its checkpoint misses nothing', withIndex(async (index) => {
  await index.put([hotEntry('a', T)]);
  await index.put([hotEntry('a', T)]);
  await index.put([hotEntry('b', T)]);
  const page = await index.afterPosition(1, 10);
  assert.equal(page.entries.map((e) => [e.id, e.position]), [['b', 3]]);
}));

test('countBetweenPositions counts the events between two positions, not the position numbers', withIndex(async (index) => {
  await index.put([hotEntry('a', T)]);
  await index.put([hotEntry('a', T), hotEntry('a', T)]);
  await index.put([hotEntry('b', T), hotEntry('c', T)]);
  assert.equal([await index.lastPosition(), await index.countBetweenPositions(0, 5), await index.countBetweenPositions(1, 5), await index.countBetweenPositions(5, 5)], [5, 3, 2, 0]);
}));

test.run();
