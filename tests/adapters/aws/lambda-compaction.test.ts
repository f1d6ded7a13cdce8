// The compaction Lambda's logic with in-memory fakes: a scheduled run within the invocation's time, its metrics and
// logs, and the settings the stack passes in the environment.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LAMBDA_ENV } from '../../../adapters/aws/lambda/config.ts';
import { COMPACTION_MARGIN_MS, COMPACTION_METRIC, compactionSettingsFromEnv, createCompaction } from '../../../adapters/aws/lambda/create-compaction.ts';
import type { LambdaLogger } from '../../../adapters/aws/lambda/observability.ts';
import { accountsOf, eventId, partitionPrefix } from '../../../domain/event.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { COMPACTION_CHECKPOINT } from '../../../projections/compaction-schedule.ts';
import { MemoryArchiveTier } from '../../support/fakes/memory-archive-tier.ts';
import { memoryCheckpoints } from '../../support/fakes/memory-checkpoints.ts';
import { MemoryEventIndex } from '../../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../../support/fakes/memory-event-log.ts';
import { hourOfEvents } from '../../support/lifecycle-fixture.ts';

const NOW = Date.UTC(2024, 6, 1, 12, 30);
const HOUR = 3600;
const hoursAgo = (n: number) => Math.floor(NOW / 1000 / HOUR) * HOUR - n * HOUR;

function setup() {
  const log = new MemoryEventLog(new MemoryArchiveTier(() => NOW));
  const index = new MemoryEventIndex();
  const { checkpoints, positions } = memoryCheckpoints();
  const logged: Array<{ level: string; message: string }> = [];
  const record = (level: string) => (message: string) => { logged.push({ level, message }); };
  const logger: LambdaLogger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const metrics: Array<[string, number]> = [];
  const handler = createCompaction({
    log, index, checkpoints, logger, clock: () => NOW, settings: { firstHour: hoursAgo(30) },
    metrics: { addMetric: (name, _unit, value) => { metrics.push([name, value]); } },
  });
  return { log, index, positions, logged, metrics, handler };
}

async function store(t: ReturnType<typeof setup>, hour: number) {
  const events = hourOfEvents(hour, 1);
  const results = await t.log.append(events);
  await t.index.put(events.map((e, i) => ({
    id: eventId(e), type: e.EventType, timestamp: e.EventTimeStamp, accounts: accountsOf(e),
    location: results[i]!.location, size: results[i]!.size, storageClass: 'STANDARD', restore: 'NONE',
  })));
  return events;
}

const handler = suite('compaction handler');

handler('a scheduled run compacts the due hours, counts the events and moves the checkpoint', async () => {
  const t = setup();
  const events = await store(t, hoursAgo(28));
  const report = await t.handler({ 'detail-type': 'Scheduled Event' }, { getRemainingTimeInMillis: () => 900_000 });
  assert.ok(t.log.objects.has(`${partitionPrefix(hoursAgo(28))}segment.ndjson`));
  assert.is(report.eventsCompacted, events.length);
  assert.equal(t.metrics, [[COMPACTION_METRIC.compacted, events.length], [COMPACTION_METRIC.hoursBehind, 0]]);
  assert.is(t.positions.get(COMPACTION_CHECKPOINT), hoursAgo(24));
});

handler('no hour starts within the margin before the timeout; the run warns that hours are left', async () => {
  const t = setup();
  await store(t, hoursAgo(28));
  const report = await t.handler({}, { getRemainingTimeInMillis: () => COMPACTION_MARGIN_MS });
  assert.equal([report.hoursVisited, report.hoursBehind], [0, 6]);
  assert.ok(t.logged.some((l) => l.level === 'warn' && /hours left/.test(l.message)), JSON.stringify(t.logged));
  assert.not.ok(t.log.objects.has(`${partitionPrefix(hoursAgo(28))}segment.ndjson`));
});

handler.run();

const settings = suite('compactionSettingsFromEnv');

settings('the first hour is required and the other settings are optional', () => {
  assert.equal(compactionSettingsFromEnv({ [LAMBDA_ENV.compactionFirstHour]: '1577836800' }), { firstHour: 1577836800 });
  assert.equal(compactionSettingsFromEnv({
    [LAMBDA_ENV.compactionFirstHour]: '1577836800', [LAMBDA_ENV.compactAfterHours]: '48', [LAMBDA_ENV.compactionLookbackHours]: '24',
  }), { firstHour: 1577836800, afterHours: 48, lookbackHours: 24 });
  assert.equal(compactionSettingsFromEnv({
    [LAMBDA_ENV.compactionFirstHour]: '1577836800', [LAMBDA_ENV.compactionConcurrency]: '2', [LAMBDA_ENV.maxSegmentEvents]: '1000', [LAMBDA_ENV.maxSegmentBytes]: '4194304',
  }), { firstHour: 1577836800, concurrency: 2, maxSegmentEvents: 1000, maxSegmentBytes: 4194304 });
});

settings('a missing or misaligned first hour is an InvalidArgumentError naming the variable', () => {
  for (const env of [{}, { [LAMBDA_ENV.compactionFirstHour]: '1577836801' }, { [LAMBDA_ENV.compactionFirstHour]: 'soon' }]) {
    try {
      compactionSettingsFromEnv(env);
      assert.unreachable(`accepted ${JSON.stringify(env)}`);
    } catch (error) {
      assert.instance(error, InvalidArgumentError);
      assert.is((error as InvalidArgumentError).argument, LAMBDA_ENV.compactionFirstHour);
    }
  }
});

settings.run();
