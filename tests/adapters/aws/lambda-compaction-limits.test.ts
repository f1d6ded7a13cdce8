// The compaction Lambda passes its segment limits (CompactionSettings) on to the scheduled run, so the limits that
// keep a busy hour within the function's memory are the ones the run applies.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createCompaction } from '../../../adapters/aws/lambda/create-compaction.ts';
import type { LambdaLogger } from '../../../adapters/aws/lambda/observability.ts';
import { MemoryArchiveTier } from '../../support/fakes/memory-archive-tier.ts';
import { memoryCheckpoints } from '../../support/fakes/memory-checkpoints.ts';
import { MemoryEventIndex } from '../../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../../support/fakes/memory-event-log.ts';
import { indexAppended, objectsOfHour } from '../../support/hour-objects.ts';
import { hourOfEvents } from '../../support/lifecycle-fixture.ts';

const NOW = Date.UTC(2024, 6, 1, 12, 30);
const HOUR = Math.floor(NOW / 1000 / 3600) * 3600 - 28 * 3600;
const quiet = () => undefined;
const logger: LambdaLogger = { debug: quiet, info: quiet, warn: quiet, error: quiet };

const test = suite('compaction handler: segment limits');

test('a run writes segments within the maxSegmentEvents of its settings', async () => {
  const log = new MemoryEventLog(new MemoryArchiveTier(() => NOW));
  const index = new MemoryEventIndex();
  const events = hourOfEvents(HOUR, 1);
  await indexAppended(index, events, await log.append(events));
  const { checkpoints } = memoryCheckpoints();
  const handler = createCompaction({
    log, index, logger, clock: () => NOW, metrics: { addMetric: quiet },
    checkpoints,
    settings: { firstHour: HOUR, lookbackHours: 0, maxSegmentEvents: 3 },
  });
  const report = await handler({});
  assert.is(report.eventsCompacted, events.length);
  assert.is((await objectsOfHour(log, HOUR)).filter((n) => n.startsWith('segment')).length, Math.ceil(events.length / 3));
});

test.run();
