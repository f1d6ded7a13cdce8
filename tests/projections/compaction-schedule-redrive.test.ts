// Scheduled compaction of events the indexer indexes late: a notification that failed goes to the indexer's
// dead-letter queue (kept 14 days, SQS's longest) after the bus's retries (maxEventAge, 24 h by default), and an
// operator's redrive indexes its event then. compactHour leaves unindexed events in place, so only a later run's
// lookback can compact them: with a default lookback shorter than that window they stay one-event objects (never
// archived: S3's lifecycle rules skip objects that small) unless someone runs `archive run` by hand.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { compactDueHours } from '../../projections/compaction-schedule.ts';
import { indexAppended, objectsOfHour } from '../support/hour-objects.ts';
import { hourOfEvents } from '../support/lifecycle-fixture.ts';
import { tempDir } from '../support/tmp.ts';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** The hour the events belong to, epoch seconds. */
const H = Date.UTC(2024, 5, 1, 23) / 1000;

test('an event indexed by a dead-letter redrive at the end of the queue\'s 14 days is compacted by the next daily run with the default lookback', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    const [first, redriven] = hourOfEvents(H, 11).slice(0, 2) as [DomainEvent, DomainEvent];
    const [a] = await local.log.append([first]);
    await indexAppended(local.index, [first], [a!]);
    const [b] = await local.log.append([redriven]); // its notification failed: not indexed yet
    await compactDueHours(local, { now: (H + 26 * HOUR) * 1000, firstHour: H });

    // Worst case: the event was written at the end of its hour, the bus retried for 24 h, the message waited 14 days
    // in the dead-letter queue, and the next daily run comes a day after the redrive.
    const redrive = H + HOUR + DAY + 14 * DAY;
    for (let run = H + 26 * HOUR + DAY; run < redrive; run += DAY) await compactDueHours(local, { now: run * 1000, firstHour: H });
    await indexAppended(local.index, [redriven], [b!]);
    await compactDueHours(local, { now: (redrive + DAY) * 1000, firstHour: H });

    const objects = await objectsOfHour(local.log, H);
    assert.ok(objects.every((k) => k.startsWith('segment')), `left uncompacted: ${objects.join(', ')}`);
    assert.is(objects.length, 2);
  } finally {
    await local.close();
  }
});

test.run();
