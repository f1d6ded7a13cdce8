// The compaction Lambda beside another archive run (`eventlake archive run --target aws`, an operator's invoke): the
// archive lease lives in the control table (DynamoDB Local here), and an invocation that finds it held returns a
// skipped result, logged, instead of failing (a failure would be retried, and alarm, for nothing).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { createCompaction } from '../../../adapters/aws/lambda/create-compaction.ts';
import type { LambdaLogger } from '../../../adapters/aws/lambda/observability.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { ARCHIVE_LEASE, ArchiveLease } from '../../../projections/archive-lease.ts';
import { COMPACTION_CHECKPOINT } from '../../../projections/compaction-schedule.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { MemoryArchiveTier } from '../../support/fakes/memory-archive-tier.ts';
import { MemoryEventIndex } from '../../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../../support/fakes/memory-event-log.ts';
import { indexAppended, objectsOfHour } from '../../support/hour-objects.ts';
import { hourOfEvents } from '../../support/lifecycle-fixture.ts';

const NOW = Date.UTC(2024, 6, 1, 12, 30);
const HOUR = Math.floor(NOW / 1000 / 3600) * 3600 - 28 * 3600;

/** The handler over one due hour in memory, its checkpoints in a DynamoDB Local control table, and what it logged. */
async function setup() {
  const log = new MemoryEventLog(new MemoryArchiveTier(() => NOW));
  const index = new MemoryEventIndex();
  const events = hourOfEvents(HOUR, 1);
  await indexAppended(index, events, await log.append(events));
  const db = await dynamoDb();
  const checkpoints = new DynamoDbCheckpointStore({ client: db.client, controlTableName: await db.createTable(CONTROL_TABLE, 'compaction-lease') });
  const logged: Array<{ level: string; message: string }> = [];
  const record = (level: string) => (message: string) => { logged.push({ level, message }); };
  const logger: LambdaLogger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const handler = createCompaction({
    log, index, checkpoints, logger, clock: () => NOW, metrics: { addMetric: () => {} }, settings: { firstHour: HOUR, lookbackHours: 0 },
  });
  return { log, events, checkpoints, logged, handler };
}

const test = suite('compaction handler and the archive lease');

test('an invocation while another archive run holds the lease returns skipped, logs it and compacts nothing', async () => {
  const t = await setup();
  const held = await ArchiveLease.acquire(t.checkpoints, { now: () => NOW }); // `eventlake archive run --target aws`
  const report = await t.handler({}, { getRemainingTimeInMillis: () => 900_000 });
  const until = new Date(NOW + 5 * 60_000).toISOString();
  assert.is(report.skipped?.leaseExpiresAt, until);
  assert.is(report.eventsCompacted, 0);
  assert.ok(t.logged.some((l) => l.level === 'info' && l.message.includes(`compaction skipped: another archive run holds the lease until ${until}`)), JSON.stringify(t.logged));
  assert.is(await t.checkpoints.get(COMPACTION_CHECKPOINT), 0);
  assert.not.ok((await objectsOfHour(t.log, HOUR)).some((n) => n.startsWith('segment')));
  await held.release();
});

test('an invocation once the lease is free compacts, and frees the lease for the next run', async () => {
  const t = await setup();
  const report = await t.handler({}, { getRemainingTimeInMillis: () => 900_000 });
  assert.is(report.skipped, undefined);
  assert.is(report.eventsCompacted, t.events.length);
  assert.is(await t.checkpoints.get(ARCHIVE_LEASE), 0);
});

test.run();
