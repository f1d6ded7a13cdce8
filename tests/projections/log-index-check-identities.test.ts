// RepeatedIdentities: which identities of an index walk are in more than one entry, kept as digests, confirmed by a
// second walk only when a digest repeats.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { EventIndex, IndexEntry } from '../../domain/ports/event-index.ts';
import { RepeatedIdentities } from '../../projections/log-index-check-identities.ts';

/** An index whose position walk yields these ids, one entry each, two per page; it counts its walks. */
function walkOf(ids: readonly string[]): { index: EventIndex; walks: () => number } {
  let walks = 0;
  const entries = ids.map((id, i) => ({ id, position: i + 1 }) as unknown as IndexEntry);
  const index = {
    afterPosition: async (after: number, limit: number) => {
      if (after === 0) walks += 1;
      const page = entries.filter((e) => e.position > after).slice(0, Math.min(limit, 2));
      return { entries: page, next: page.at(-1)?.position ?? after };
    },
  } as Partial<EventIndex> as EventIndex;
  return { index, walks: () => walks };
}

const test = suite('RepeatedIdentities');

test('an identity in two entries of the walk is confirmed as a repeat', async () => {
  const ids = ['a', 'b', 'a', 'c'];
  const { index } = walkOf(ids);
  const repeated = new RepeatedIdentities();
  for (const id of ids) repeated.see(id);
  assert.equal(await repeated.confirm(index, 1000), ['a']);
});

test('distinct identities need no second walk', async () => {
  const { index, walks } = walkOf(['a', 'b']);
  const repeated = new RepeatedIdentities();
  for (const id of ['a', 'b']) repeated.see(id);
  assert.equal(await repeated.confirm(index, 1000), []);
  assert.is(walks(), 0);
});

test('a candidate the second walk finds in one entry only (a digest collision) is not a repeat', async () => {
  const { index } = walkOf(['a', 'b']);
  const repeated = new RepeatedIdentities();
  // As if 'a' and another identity had the same digest: 'a' becomes a candidate, but the index holds it once.
  repeated.see('a');
  repeated.see('a');
  assert.equal(await repeated.confirm(index, 1000), []);
});

test.run();
