// A healthy compaction keeps the archive lease through an hour's long reads before its first chunk: loading the
// hour's index entries and listing its objects (a very busy hour on S3: 2M objects are 2,000 LIST pages, minutes).
// If the lease expired meanwhile, a second run could take it over and the first would stop as if it had stalled.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { partitionPrefix } from '../../domain/event.ts';
import { ArchiveRunInProgressError } from '../../domain/projection-errors.ts';
import type { LogObject } from '../../domain/ports/event-log.ts';
import { ArchiveLease } from '../../projections/archive-lease.ts';
import { compactDueHours } from '../../projections/compaction-schedule.ts';
import { rejects } from '../support/async.ts';
import { memoryCheckpoints } from '../support/fakes/memory-checkpoints.ts';
import type { MemoryEventLog } from '../support/fakes/memory-event-log.ts';
import { memoryDueHour } from '../support/memory-due-hour.ts';

const NOW = Date.UTC(2024, 6, 1, 12, 30);
const HOUR = Math.floor(NOW / 1000 / 3600) * 3600 - 28 * 3600;
const TTL_MS = 1_000;
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

const test = suite('archive lease through an hour\'s long reads');

test('a run listing an hour for longer than the lease keeps it: a second run started meanwhile is refused', async () => {
  const { log: memory, index, events } = await memoryDueHour(HOUR, NOW, 2);
  // The hour's listing takes three leases' time, as 2,000 LIST pages would take minutes.
  const log = Object.assign(Object.create(memory) as MemoryEventLog, {
    async *list(prefix: string): AsyncIterable<LogObject> {
      if (prefix === partitionPrefix(HOUR)) await sleep(3 * TTL_MS);
      yield* memory.list(prefix);
    },
  });
  const { checkpoints } = memoryCheckpoints();
  const run = compactDueHours({ log, index, checkpoints, lease: { ttlMs: TTL_MS } }, { now: NOW, firstHour: HOUR, lookbackHours: 0 });
  await sleep(2 * TTL_MS);
  await rejects(() => ArchiveLease.acquire(checkpoints, { ttlMs: TTL_MS }), ArchiveRunInProgressError);
  const report = await run;
  assert.is(report.eventsCompacted, events.length);
});

test.run();
