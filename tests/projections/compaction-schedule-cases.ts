// The rules of scheduled compaction (compactDueHours), for any log, index and checkpoint store: the local adapters
// (compaction-schedule.test.ts) and S3 on s3rver with DynamoDB Local (tests/adapters/aws/compaction-schedule.test.ts).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { accountsOf, eventId, partitionPrefix, type DomainEvent } from '../../domain/event.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { EventLog } from '../../domain/ports/event-log.ts';
import { COMPACTION_CHECKPOINT, compactDueHours, type ScheduledCompactionOptions } from '../../projections/compaction-schedule.ts';
import { rejects } from '../support/async.ts';
import { hourOfEvents } from '../support/lifecycle-fixture.ts';

/** What a subject provides: empty stores, and their cleanup. */
export interface CompactionSubject {
  readonly log: EventLog;
  readonly index: EventIndex;
  readonly checkpoints: CheckpointStore;
  cleanup(): Promise<void>;
}

const HOUR = 3600;
const NOW = Date.UTC(2024, 6, 1, 12, 30);
/** Start of the hour `n` hours before NOW's hour, epoch seconds. */
const hoursAgo = (n: number) => Math.floor(NOW / 1000 / HOUR) * HOUR - n * HOUR;
/** Due hours end 24 hours back: hoursAgo(25) is the newest due hour. */
const FIRST = hoursAgo(30);
const options = (extra: Partial<ScheduledCompactionOptions> = {}): ScheduledCompactionOptions => ({ now: NOW, firstHour: FIRST, lookbackHours: 4, ...extra });

/** Append `events` and index them where the log put them, as the indexer does. */
async function store(s: CompactionSubject, events: readonly DomainEvent[]): Promise<void> {
  const results = await s.log.append(events);
  await s.index.put(events.map((e, i) => ({
    id: eventId(e), type: e.EventType, timestamp: e.EventTimeStamp, accounts: accountsOf(e),
    location: results[i]!.location, size: results[i]!.size, storageClass: 'STANDARD', restore: 'NONE',
  })));
}

/** Object names in an hour partition. */
async function objectsOf(s: CompactionSubject, hour: number): Promise<string[]> {
  const prefix = partitionPrefix(hour);
  const names: string[] = [];
  for await (const o of s.log.list(prefix)) names.push(o.key.slice(prefix.length));
  return names.sort();
}

/** Registers the scheduled-compaction suite for one subject. */
export function compactionScheduleCases(name: string, open: () => Promise<CompactionSubject>): void {
  const test = suite<{ s: CompactionSubject }>(`compactDueHours: ${name}`, { s: undefined as unknown as CompactionSubject });
  test.before.each(async (ctx) => { ctx.s = await open(); });
  test.after.each(async (ctx) => { await ctx.s.cleanup(); });

  test('hours that ended a day ago are compacted into one segment each; newer hours keep their objects', async ({ s }) => {
    const due = hourOfEvents(hoursAgo(28), 1);
    await store(s, [...due, ...hourOfEvents(hoursAgo(10), 2)]);
    const report = await compactDueHours(s, options());
    assert.equal(await objectsOf(s, hoursAgo(28)), ['segment.ndjson']);
    assert.not.ok((await objectsOf(s, hoursAgo(10))).includes('segment.ndjson'));
    assert.equal([report.hoursCompacted, report.eventsCompacted], [1, due.length]);
  });

  test('an hour with more events than maxSegmentEvents is compacted into several segments, every event found once', async ({ s }) => {
    const due = hourOfEvents(hoursAgo(28), 9);
    await store(s, due);
    await compactDueHours(s, options({ maxSegmentEvents: 2 }));
    const segments = Array.from({ length: Math.ceil(due.length / 2) }, (_, i) => (i === 0 ? 'segment.ndjson' : `segment-${i + 1}.ndjson`));
    assert.ok(segments.length > 2);
    assert.equal(await objectsOf(s, hoursAgo(28)), segments.sort());
    const found = new Set<string>();
    for await (const e of s.index.between({ from: hoursAgo(28), to: hoursAgo(27) })) found.add(eventId(await s.log.read(e.location)));
    assert.equal([...found].sort(), due.map(eventId).sort());
  });

  test('the checkpoint moves to the end of the due hours, so the next run walks on from there', async ({ s }) => {
    const report = await compactDueHours(s, options());
    assert.is(report.next, hoursAgo(24));
    assert.is(await s.checkpoints.get(COMPACTION_CHECKPOINT), hoursAgo(24));
    assert.equal([report.hoursVisited, report.hoursBehind], [6, 0]);
  });

  test('a later run visits the lookback and the hours due since, not the walk from the first hour again', async ({ s }) => {
    await compactDueHours(s, options());
    const later = await compactDueHours(s, options({ now: NOW + 2 * HOUR * 1000 }));
    assert.equal([later.hoursVisited, later.next], [4 + 2, hoursAgo(22)]);
  });

  test('a late event in an hour already compacted is compacted into segment-2 by the next run\'s lookback', async ({ s }) => {
    const [first, late] = [hourOfEvents(hoursAgo(26), 3), hourOfEvents(hoursAgo(26), 4).slice(0, 1)];
    await store(s, first);
    await compactDueHours(s, options());
    await store(s, late);
    const next = await compactDueHours(s, options());
    assert.equal(await objectsOf(s, hoursAgo(26)), ['segment-2.ndjson', 'segment.ndjson']);
    assert.equal([next.eventsCompacted, next.lateEventsCompacted], [1, 1]);
  });

  test('a late event older than the lookback is left where it is (archive run compacts it)', async ({ s }) => {
    await compactDueHours(s, options());
    await store(s, hourOfEvents(hoursAgo(30), 5).slice(0, 1));
    const next = await compactDueHours(s, options({ lookbackHours: 2 }));
    assert.is(next.eventsCompacted, 0);
    assert.not.ok((await objectsOf(s, hoursAgo(30))).includes('segment.ndjson'));
  });

  test('a run whose deadline passes stops between batches and the next run resumes at its checkpoint', async ({ s }) => {
    await store(s, [...hourOfEvents(hoursAgo(30), 6), ...hourOfEvents(hoursAgo(26), 7)]);
    let calls = 0;
    // The clock passes the deadline after the first batch of two hours has started.
    const cut = await compactDueHours(s, options({ concurrency: 2, deadline: 1, clock: () => (calls++ === 0 ? 0 : 2) }));
    assert.equal([cut.next, cut.hoursBehind, cut.hoursVisited], [hoursAgo(28), 4, 2]);
    assert.not.ok((await objectsOf(s, hoursAgo(26))).includes('segment.ndjson'));
    const rest = await compactDueHours(s, options({ lookbackHours: 0 }));
    assert.equal([rest.next, rest.hoursBehind, rest.hoursVisited], [hoursAgo(24), 0, 4]);
    assert.equal(await objectsOf(s, hoursAgo(26)), ['segment.ndjson']);
  });

  test('without a checkpoint the walk starts at the first hour: hours before it are not visited', async ({ s }) => {
    await store(s, hourOfEvents(hoursAgo(40), 8));
    const report = await compactDueHours(s, options());
    assert.is(report.hoursVisited, 6);
    assert.not.ok((await objectsOf(s, hoursAgo(40))).includes('segment.ndjson'));
  });

  test('a first hour that is not the start of an hour is refused, naming the option', async ({ s }) => {
    const error = await rejects(() => compactDueHours(s, options({ firstHour: FIRST + 60 })), InvalidArgumentError);
    assert.is(error.argument, 'firstHour');
  });

  test.run();
}
