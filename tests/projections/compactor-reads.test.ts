// compactHour reads an hour's one-event objects (as S3EventLog writes them) several at a time, never all at once:
// read one by one, a busy hour on S3 (~20 ms a GET) took longer than a scheduled compaction run has.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { partitionPrefix, type DomainEvent } from '../../domain/event.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import { compactHour, READS_IN_FLIGHT } from '../../projections/compactor.ts';
import { MemoryArchiveTier } from '../support/fakes/memory-archive-tier.ts';
import { MemoryEventIndex } from '../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../support/fakes/memory-event-log.ts';
import { indexAppended } from '../support/hour-objects.ts';
import { variant } from '../support/samples.ts';

const test = suite('compactHour reads');
const HOUR = Date.UTC(2024, 2, 7, 9) / 1000;

/** A memory log whose reads take a few ms each, counting how many run at once. */
class SlowLog extends MemoryEventLog {
  inFlight = 0;
  most = 0;
  override async read(location: EventLocation): Promise<DomainEvent> {
    this.most = Math.max(this.most, ++this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return await super.read(location);
    } finally {
      this.inFlight--;
    }
  }
}

test(`one-event objects are read ${READS_IN_FLIGHT} at a time, and every event lands in the segment once`, async () => {
  const log = new SlowLog(new MemoryArchiveTier(() => 0));
  const index = new MemoryEventIndex();
  const events = Array.from({ length: 100 }, (_, i) => variant('cash_deposit', { EventTimeStamp: HOUR + i, RequestId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }) as DomainEvent);
  await indexAppended(index, events, await log.append(events));
  const report = await compactHour({ log, index }, partitionPrefix(HOUR));
  assert.is(report.compacted, 100);
  assert.is(log.most, READS_IN_FLIGHT);
  const located = new Set<string>();
  for await (const e of index.between({ from: HOUR, to: HOUR + 3600 })) located.add(`${e.location.key}@${e.location.offset}`);
  assert.is(located.size, 100);
});

test.run();
