// The restore command `eventlake query` prints for unrestored objects stays printable however many there are: the
// hours they span were found by spreading every hour into Math.min/Math.max, which overflows the stack past about
// 100,000 values (an archived lake of a decade of hourly segments), so the query failed with a RangeError instead.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { restoreCommandFor } from '../../cli/commands/query.ts';

const test = suite('eventlake query: the restore command for many unrestored objects');

/** The key of the segment of the `i`-th hour after 2000-01-01T00:00Z. */
function keyOfHour(i: number): string {
  const [date, time] = new Date(Date.UTC(2000, 0, 1) + i * 3_600_000).toISOString().split('T') as [string, string];
  const [y, m, d] = date.split('-');
  return `events/year=${y}/month=${m}/day=${d}/hour=${time.slice(0, 2)}/segment.ndjson`;
}

test('300,000 unrestored hours, in any order, give the --since/--until form from the first hour to the end of the last', () => {
  const keys = Array.from({ length: 300_000 }, (_, i) => keyOfHour(i));
  // Out of order, so the span is not read off the ends of the list.
  keys.reverse();
  [keys[0], keys[150_000]] = [keys[150_000]!, keys[0]!];
  assert.is(restoreCommandFor(keys), `eventlake restore --since 2000-01-01T00:00:00Z --until ${new Date(Date.UTC(2000, 0, 1) + 300_000 * 3_600_000).toISOString().replace('.000Z', 'Z')}`);
});

test.run();
