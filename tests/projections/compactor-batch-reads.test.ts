// compactHour reads a batch object that spans many chunks (a large local `emit` is one batch object per hour) whole
// at most twice for its chunks, reading the other chunks' lines at their indexed byte ranges: read whole for every
// chunk, an hour of one 1 GB batch object in 5,000-event chunks would have been read 200 times.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { eventId, partitionPrefix, serializeEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { LocatedEvent } from '../../domain/ports/event-log.ts';
import { compactHour } from '../../projections/compactor.ts';
import { indexAppended, objectsOfHour } from '../support/hour-objects.ts';
import { tempDir } from '../support/tmp.ts';

const HOUR = Date.UTC(2024, 2, 7, 9) / 1000;
const PREFIX = partitionPrefix(HOUR);
const test = suite('compactHour: batch objects spanning chunks');

test('a batch object spanning every chunk is read whole no more than twice, and every event lands once', async () => {
  const dataDir = tempDir();
  const log = await FsEventLog.open(dataDir);
  const index = new SqliteEventIndex(join(dataDir, 'index.db'));
  try {
    const events = generateEvents({ accounts: 5, days: 1 / 24, eventsPerDay: 24 * 40, start: HOUR }).filter((e) => e.EventTimeStamp < HOUR + 3600);
    await indexAppended(index, events, await log.append(events));
    const [batch] = await objectsOfHour(log, HOUR);
    let wholeReads = 0;
    const readObject = log.readObject.bind(log);
    const counting = Object.assign(Object.create(log) as FsEventLog, {
      readObject: (key: string): AsyncIterable<LocatedEvent> => { if (key === `${PREFIX}${batch}`) wholeReads++; return readObject(key); },
    });
    const report = await compactHour({ log: counting, index }, PREFIX, { maxSegmentEvents: 4 });
    assert.ok(report.segmentsWritten.length > 5);
    assert.ok(wholeReads <= 2, `read whole ${wholeReads} times`);
    for (const e of events) assert.is(serializeEvent(await log.read((await index.get(eventId(e)))!.location)), serializeEvent(e));
  } finally {
    index.close();
    await log.close();
  }
});

test.run();
