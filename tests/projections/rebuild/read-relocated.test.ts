// A rebuild reads entries where the index pointed when it paged them; an archive run beside it (the scheduled
// compaction, `eventlake archive run`: separate leases) may relocate those events into a segment and remove their
// originals in between. The reader then finds the event where the index points now, instead of failing the rebuild.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { EventNotFoundError } from '../../../domain/errors.ts';
import { eventId, partitionPrefix } from '../../../domain/event.ts';
import type { IndexEntry } from '../../../domain/ports/event-index.ts';
import { compactHour } from '../../../projections/compactor.ts';
import { EventReader } from '../../../projections/rebuild/read-events.ts';
import { rejects } from '../../support/async.ts';
import { MemoryArchiveTier } from '../../support/fakes/memory-archive-tier.ts';
import { MemoryEventIndex } from '../../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../../support/fakes/memory-event-log.ts';
import { indexAppended } from '../../support/hour-objects.ts';
import { hourOfEvents } from '../../support/lifecycle-fixture.ts';
import { tempDir } from '../../support/tmp.ts';

const HOUR = Date.UTC(2024, 2, 7, 9) / 1000;

async function entriesOfHour(index: { between(range: { from: number; to: number }): AsyncIterable<IndexEntry> }): Promise<IndexEntry[]> {
  const out: IndexEntry[] = [];
  for await (const e of index.between({ from: HOUR, to: HOUR + 3600 })) out.push(e);
  return out;
}

const test = suite('EventReader: entries relocated since they were paged');

test('one-event objects compacted away after the entries were paged are read from the segment the index points at now', async () => {
  const log = new MemoryEventLog(new MemoryArchiveTier(Date.now));
  const index = new MemoryEventIndex();
  const events = hourOfEvents(HOUR, 3);
  await indexAppended(index, events, await log.append(events));
  const paged = await entriesOfHour(index);
  assert.ok(paged.every((e) => e.location.offset === undefined), 'paged while still in their one-event objects');
  await compactHour({ log, index }, partitionPrefix(HOUR));
  const read = await new EventReader({ log, index }).read(paged);
  assert.equal(read.map(eventId), paged.map((e) => e.id));
});

test('batch objects compacted away after the entries were paged are read from the segment the index points at now', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    const events = hourOfEvents(HOUR, 4);
    await local.lake.emit(events);
    const paged = await entriesOfHour(local.index);
    await compactHour(local, partitionPrefix(HOUR));
    // As the rebuild coordinator builds its reader: from the assembled eventlake, index included.
    const read = await new EventReader(local).read(paged);
    assert.equal(read.map(eventId), paged.map((e) => e.id));
  } finally {
    await local.close();
  }
});

test('an event the index no longer points anywhere else is still not found', async () => {
  const log = new MemoryEventLog(new MemoryArchiveTier(Date.now));
  const index = new MemoryEventIndex();
  const events = hourOfEvents(HOUR, 5).slice(0, 1);
  await indexAppended(index, events, await log.append(events));
  const [entry] = await entriesOfHour(index);
  await log.remove([entry!.location.key]);
  await rejects(() => new EventReader({ log, index }).read([entry!]), EventNotFoundError);
});

test.run();
