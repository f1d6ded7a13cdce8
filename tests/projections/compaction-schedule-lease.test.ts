// Scheduled compaction under the archive lease: a round that finds another archive run holding it skips (compacts
// nothing, leaves the checkpoint, says so in its report) instead of compacting the same hours beside it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { partitionPrefix } from '../../domain/event.ts';
import { ARCHIVE_LEASE, ArchiveLease } from '../../projections/archive-lease.ts';
import { COMPACTION_CHECKPOINT, compactDueHours } from '../../projections/compaction-schedule.ts';
import { leaseExpiry } from '../../projections/lease.ts';
import { indexAppended, objectsOfHour } from '../support/hour-objects.ts';
import { hourOfEvents } from '../support/lifecycle-fixture.ts';
import { tempDir } from '../support/tmp.ts';

const NOW = Date.UTC(2024, 6, 1, 12, 30);
const HOUR = Math.floor(NOW / 1000 / 3600) * 3600 - 28 * 3600;
const options = { now: NOW, firstHour: HOUR, lookbackHours: 0 };

/** A local lake with one due hour of events, stored and indexed but not compacted. */
async function oneDueHour() {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  const events = hourOfEvents(HOUR, 1);
  await indexAppended(local.index, events, await local.log.append(events));
  return { local, events };
}

const test = suite('scheduled compaction and the archive lease');

test('a round while another archive run holds the lease compacts nothing, keeps the checkpoint and reports it skipped until the expiry', async () => {
  const { local } = await oneDueHour();
  try {
    const held = await ArchiveLease.acquire(local.checkpoints); // an operator's `eventlake archive run`
    const until = new Date(leaseExpiry(await local.checkpoints.get(ARCHIVE_LEASE))).toISOString();
    const report = await compactDueHours(local, options);
    assert.equal(report.skipped?.leaseExpiresAt, until);
    assert.match(report.skipped?.reason ?? '', `holds the lease until ${until}`);
    assert.equal([report.hoursVisited, report.eventsCompacted, report.next, report.hoursBehind], [0, 0, HOUR, 4]);
    assert.is(await local.checkpoints.get(COMPACTION_CHECKPOINT), 0, 'the checkpoint did not move');
    assert.not.ok((await objectsOfHour(local.log, HOUR)).some((n) => n.startsWith('segment')), `nothing compacted in ${partitionPrefix(HOUR)}`);
    await held.release();
  } finally {
    await local.close();
  }
});

test('the next round after the lease is freed compacts the hour and frees the lease again', async () => {
  const { local, events } = await oneDueHour();
  try {
    await (await ArchiveLease.acquire(local.checkpoints)).release();
    const report = await compactDueHours(local, options);
    assert.is(report.skipped, undefined);
    assert.is(report.eventsCompacted, events.length);
    assert.is(await local.checkpoints.get(ARCHIVE_LEASE), 0);
  } finally {
    await local.close();
  }
});

test.run();
