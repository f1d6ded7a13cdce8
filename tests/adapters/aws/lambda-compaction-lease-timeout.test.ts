// An invocation the Lambda timeout kills never releases the archive lease. Lambda retries it a minute later (an async
// invocation's error, a timeout included, is retried twice), and that retry must resume the walk, not find its own
// killed predecessor's lease and return `skipped` (a result: no further retry, the hours wait a day).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createCompaction } from '../../../adapters/aws/lambda/create-compaction.ts';
import type { EventLog } from '../../../domain/ports/event-log.ts';
import { memoryCheckpoints } from '../../support/fakes/memory-checkpoints.ts';
import type { MemoryEventLog } from '../../support/fakes/memory-event-log.ts';
import { memoryDueHour } from '../../support/memory-due-hour.ts';

const NOW = Date.UTC(2024, 6, 1, 12, 30);
const HOUR = Math.floor(NOW / 1000 / 3600) * 3600 - 28 * 3600;
const TIMEOUT_MS = 900_000;
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const test = suite('compaction handler: the retry of an invocation the timeout killed');

test('the retry a minute after a timeout compacts instead of skipping on the killed invocation\'s lease', async () => {
  const { log, index, events } = await memoryDueHour(HOUR, NOW);
  const { checkpoints } = memoryCheckpoints();
  const clock = { now: NOW };
  const handler = (logOf: EventLog) => createCompaction({
    log: logOf, index, checkpoints, logger: silent, clock: () => clock.now, metrics: { addMetric: () => {} },
    settings: { firstHour: HOUR, lookbackHours: 0 },
  });
  // The first invocation works until shortly before its timeout (renewing the lease before its chunk), then its read
  // never answers: the timeout kills it there.
  const hung = Object.assign(Object.create(log) as MemoryEventLog, {
    async *list(prefix: string) {
      clock.now = NOW + TIMEOUT_MS - 30_000;
      yield* log.list(prefix);
    },
    read: () => new Promise<never>(() => {}),
  });
  void handler(hung)({}, { getRemainingTimeInMillis: () => TIMEOUT_MS });
  await new Promise((resolve) => setTimeout(resolve, 50));
  clock.now = NOW + TIMEOUT_MS + 60_000;
  const retry = await handler(log)({}, { getRemainingTimeInMillis: () => TIMEOUT_MS });
  assert.is(retry.skipped, undefined, retry.skipped?.reason);
  assert.is(retry.eventsCompacted, events.length);
});

test.run();
