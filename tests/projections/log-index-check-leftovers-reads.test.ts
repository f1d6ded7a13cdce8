// What recognising compaction leftovers costs the log/index check: the segment they are compared with is read once
// more, however many leftovers there are, and a log without copies wholeReads nothing more.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { partitionPrefix, segmentKey, type DomainEvent } from '../../domain/event.ts';
import type { LocatedEvent } from '../../domain/ports/event-log.ts';
import { compactHour } from '../../projections/compactor.ts';
import { checkLogAgainstIndex } from '../../projections/log-index-check.ts';
import { rejects } from '../support/async.ts';
import { MemoryArchiveTier } from '../support/fakes/memory-archive-tier.ts';
import { MemoryEventIndex } from '../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../support/fakes/memory-event-log.ts';
import { indexAppended } from '../support/hour-objects.ts';
import { variant } from '../support/samples.ts';

/** More one-event objects than the check keeps objects (16), so a cache shared with them would lose the segment. */
const EVENTS = Array.from({ length: 60 }, (_, n) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent);
const PREFIX = partitionPrefix(EVENTS[0]!.EventTimeStamp);

/** A memory log that records the key of every object read whole. */
class RecordingLog extends MemoryEventLog {
  readonly wholeReads: string[] = [];
  override readObject(key: string): AsyncIterable<LocatedEvent> {
    this.wholeReads.push(key);
    return super.readObject(key);
  }
}

class SimulatedCrash extends Error {}

async function stored(): Promise<{ log: RecordingLog; index: MemoryEventIndex; archive: MemoryArchiveTier }> {
  const archive = new MemoryArchiveTier(() => 0);
  const log = new RecordingLog(archive);
  const index = new MemoryEventIndex();
  await indexAppended(index, EVENTS, await log.append(EVENTS));
  return { log, index, archive };
}

const test = suite('checkLogAgainstIndex, the cost of compaction leftovers');

test('the segment leftovers are compared with is read once by the index walk and at most once more, not once per leftover', async () => {
  const lake = await stored();
  const afterRelocate = () => { throw new SimulatedCrash('after relocating, before removing'); };
  await rejects(() => compactHour(lake, PREFIX, { afterRelocate }), SimulatedCrash);
  lake.log.wholeReads.length = 0;
  const report = await checkLogAgainstIndex(lake);
  assert.is(report.findings.compactionLeftover.count, EVENTS.length);
  assert.ok(lake.log.wholeReads.filter((k) => k === segmentKey(PREFIX)).length <= 2, lake.log.wholeReads.join(', '));
});

test('a whole log without copies wholeReads each object once: looking for leftovers adds no read', async () => {
  const lake = await stored();
  await compactHour(lake, PREFIX);
  lake.log.wholeReads.length = 0;
  const report = await checkLogAgainstIndex(lake);
  assert.ok(report.whole);
  assert.equal(lake.log.wholeReads, [segmentKey(PREFIX)]);
});

test.run();
