// Rows answered from DuckDbEventQuery's cache are made once and shared by later answers, so they are frozen: a caller
// changing a row it got must not change what the next query answers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../../adapters/local/duckdb-event-query.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('DuckDbEventQuery cached rows');
const T = Date.UTC(2024, 2, 1, 10) / 1000;

test('a row from a warm answer cannot be changed, and the next answer is as before', async () => {
  const dir = tempDir();
  const local = await openLocalEventlake({ dataDir: dir });
  await local.lake.emit([0, 1, 2].map((i) => variant('cash_deposit', { EventTimeStamp: T + i, RequestId: `00000000-0000-4000-8000-00000000000${i}` })));
  await local.close();
  const query = new DuckDbEventQuery({ dataDir: dir });
  try {
    await query.eventsBetween({ from: T, to: T + 3600 }); // fills the cache
    const warm = await query.eventsBetween({ from: T, to: T + 3600 });
    const row = warm.rows[0] as Record<string, unknown>;
    assert.throws(() => { row['event_id'] = 'changed'; }, TypeError);
    const again = await query.eventsBetween({ from: T, to: T + 3600 });
    assert.equal(again.rows.map((r) => r['event_id']), [0, 1, 2].map((i) => `cash_deposit_00000000-0000-4000-8000-00000000000${i}`));
  } finally {
    await query.close();
  }
});

test.run();
