// The segment limits reach compactHour from every caller: the daily schedule (compactDueHours, the AWS Lambda's run)
// and the lifecycle run (`eventlake archive run`), so a busy hour is compacted in bounded chunks by both.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { compactDueHours } from '../../projections/compaction-schedule.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { rejects } from '../support/async.ts';
import { MemoryArchiveTier } from '../support/fakes/memory-archive-tier.ts';
import { memoryCheckpoints } from '../support/fakes/memory-checkpoints.ts';
import { MemoryEventIndex } from '../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../support/fakes/memory-event-log.ts';
import { indexAppended, objectsOfHour } from '../support/hour-objects.ts';
import { hourOfEvents } from '../support/lifecycle-fixture.ts';

const NOW = Date.UTC(2024, 6, 1, 12, 30);
const HOUR = Math.floor(NOW / 1000 / 3600) * 3600 - 28 * 3600;
const segmentsOf = async (log: MemoryEventLog) => (await objectsOfHour(log, HOUR)).filter((n) => n.startsWith('segment'));

async function setup() {
  const archive = new MemoryArchiveTier(() => NOW);
  const log = new MemoryEventLog(archive);
  const index = new MemoryEventIndex();
  const events = hourOfEvents(HOUR, 1);
  await indexAppended(index, events, await log.append(events));
  const { checkpoints } = memoryCheckpoints();
  return { log, index, archive, checkpoints, events };
}

const test = suite('segment limits threaded');

test('the daily schedule compacts an hour into segments within the maxSegmentEvents it is given', async () => {
  const s = await setup();
  const report = await compactDueHours(s, { now: NOW, firstHour: HOUR, lookbackHours: 0, maxSegmentEvents: 2 });
  assert.is(report.eventsCompacted, s.events.length);
  assert.is((await segmentsOf(s.log)).length, Math.ceil(s.events.length / 2));
});

test('the daily schedule refuses a maxSegmentBytes below 1, naming it, before any hour is visited', async () => {
  const s = await setup();
  const error = await rejects(() => compactDueHours(s, { now: NOW, firstHour: HOUR, maxSegmentBytes: 0 }), InvalidArgumentError);
  assert.is(error.argument, 'maxSegmentBytes');
  assert.equal(await segmentsOf(s.log), []);
});

test('the lifecycle run compacts an old hour into segments within the maxSegmentEvents it is given, and archives each', async () => {
  const s = await setup();
  const report = await runLifecycle(s, { now: NOW + 30 * 86_400_000, maxSegmentEvents: 2 });
  assert.is(report.eventsCompacted, s.events.length);
  assert.is((await segmentsOf(s.log)).length, Math.ceil(s.events.length / 2));
  assert.equal([report.transitioned.GLACIER.objects, report.transitioned.GLACIER.events], [Math.ceil(s.events.length / 2), s.events.length]);
});

test.run();
