// The typed-array columns compaction keeps an hour's index entries in: they grow past their first allocation
// (1024 values) without losing or reordering a value, since a busy hour holds millions of entries.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { doubles, int32s } from '../../projections/compaction/columns.ts';

const test = suite('compaction columns');

test('a column grown past its first allocation reads back every value pushed, in order', () => {
  const times = doubles();
  const sizes = int32s();
  for (let i = 0; i < 5000; i++) {
    times.push(1.5e9 + i / 4);
    sizes.push(-i);
  }
  assert.is(times.length, 5000);
  assert.ok(Array.from({ length: 5000 }, (_, i) => times.get(i) === 1.5e9 + i / 4 && sizes.get(i) === -i).every(Boolean));
});

test.run();
