// Readers of an hour compacted into several segments: the DuckDB catalogue query sees every event once, in replay
// order (segments are cut in that order, and readers take order from the events, not from one segment per hour).
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { compareEvents, eventId, partitionPrefix } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import { compactHour } from '../../projections/compactor.ts';
import { indexAppended } from '../support/hour-objects.ts';
import { tempDir } from '../support/tmp.ts';

const HOUR = Date.UTC(2024, 2, 7, 9) / 1000;
const test = suite('readers of an hour in several segments');

test('events_to_replay on DuckDB lists every event of an hour in several segments once, in replay order', async () => {
  const dataDir = tempDir();
  const log = await FsEventLog.open(dataDir);
  const index = new SqliteEventIndex(join(dataDir, 'index.db'));
  const events = generateEvents({ accounts: 5, days: 1 / 24, eventsPerDay: 24 * 40, start: HOUR }).filter((e) => e.EventTimeStamp < HOUR + 3600);
  for (let a = 0; a < 3; a++) {
    const part = events.filter((_, i) => i % 3 === a);
    await indexAppended(index, part, await log.append(part));
  }
  const report = await compactHour({ log, index }, partitionPrefix(HOUR), { maxSegmentEvents: 7 });
  index.close();
  await log.close();
  assert.ok(report.segmentsWritten.length > 3);
  const query = new DuckDbEventQuery({ dataDir });
  try {
    const { rows } = await query.named('events_to_replay', { since: HOUR, until: HOUR + 3600 });
    const expected = events.map((e) => ({ timestamp: e.EventTimeStamp, id: eventId(e) })).sort(compareEvents).map((e) => e.id);
    assert.equal(rows.map((r) => r['event_id']), expected);
    assert.ok(rows.every((r) => report.segmentsWritten.includes(String(r['object_key']))));
  } finally {
    await query.close();
  }
});

test.run();
