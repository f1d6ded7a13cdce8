// Scheduled compaction when an hour fails or the run is killed mid-batch: the checkpoint only moves past a batch
// whose every hour completed, and a batch cut short is compacted again, each event ending up in exactly one place.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { eventId, partitionPrefix, type DomainEvent } from '../../domain/event.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { EventLog } from '../../domain/ports/event-log.ts';
import { COMPACTION_CHECKPOINT, compactDueHours } from '../../projections/compaction-schedule.ts';
import { rejects } from '../support/async.ts';
import { indexAppended, objectsOfHour } from '../support/hour-objects.ts';
import { hourOfEvents } from '../support/lifecycle-fixture.ts';
import { tempDir } from '../support/tmp.ts';

const HOUR = 3600;
const FIRST = Date.UTC(2024, 5, 1) / 1000;
/** Four hours are due: FIRST … FIRST + 3 h. */
const NOW = (FIRST + 28 * HOUR) * 1000;

async function lakeWith(hours: readonly number[]) {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  const events: DomainEvent[] = hours.flatMap((h, i) => hourOfEvents(h, 20 + i).slice(0, 3));
  await indexAppended(local.index, events, await local.log.append(events));
  return { local, events };
}

test('an hour that fails fails the run and leaves the checkpoint where its batch started; the next run visits the whole batch again', async () => {
  const hours = [FIRST, FIRST + HOUR, FIRST + 2 * HOUR, FIRST + 3 * HOUR];
  const { local } = await lakeWith(hours);
  try {
    const broken = partitionPrefix(FIRST + 3 * HOUR);
    const log: EventLog = Object.assign(Object.create(local.log) as EventLog, {
      list: (prefix: string) => {
        if (prefix === broken) throw new Error('listing refused');
        return local.log.list(prefix);
      },
    });
    await rejects(() => compactDueHours({ log, index: local.index, checkpoints: local.checkpoints }, { now: NOW, firstHour: FIRST, concurrency: 2 }), Error);
    assert.is(await local.checkpoints.get(COMPACTION_CHECKPOINT), FIRST + 2 * HOUR);
    const next = await compactDueHours(local, { now: NOW, firstHour: FIRST, concurrency: 2, lookbackHours: 0 });
    // The batch's other hour completed in the failed run; visiting it again changes nothing.
    assert.equal([next.next, next.hoursVisited, next.hoursCompacted], [FIRST + 4 * HOUR, 2, 1]);
    for (const h of hours) assert.equal(await objectsOfHour(local.log, h), ['segment.ndjson']);
  } finally {
    await local.close();
  }
});

test('a run killed after writing a segment and before re-pointing the index is completed by the next run, each event once', async () => {
  const { local, events } = await lakeWith([FIRST]);
  try {
    const index: EventIndex = Object.assign(Object.create(local.index) as EventIndex, {
      relocate: async () => { throw new Error('killed by the Lambda timeout'); },
    });
    await rejects(() => compactDueHours({ log: local.log, index, checkpoints: local.checkpoints }, { now: NOW, firstHour: FIRST }), Error);
    assert.is(await local.checkpoints.get(COMPACTION_CHECKPOINT), 0);
    await compactDueHours(local, { now: NOW, firstHour: FIRST });
    assert.equal(await objectsOfHour(local.log, FIRST), ['segment.ndjson']);
    const lines: string[] = [];
    for await (const { event } of local.log.readObject(`${partitionPrefix(FIRST)}segment.ndjson`)) lines.push(eventId(event));
    assert.equal(lines.sort(), events.map(eventId).sort());
    for (const e of events) assert.match((await local.index.get(eventId(e)))!.location.key, /segment\.ndjson$/);
  } finally {
    await local.close();
  }
});

test.run();
