// compactHour cuts an hour into segments of at most maxSegmentEvents events and maxSegmentBytes bytes, each chunk
// written, relocated and its originals removed before the next one is read: an hour of a busy producer held whole
// killed the 1 GB compaction Lambda every day, and the schedule stalled on that hour.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { eventId, partitionPrefix, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import { compactHour, nthSegmentKey } from '../../projections/compactor.ts';
import { rejects } from '../support/async.ts';
import { MemoryArchiveTier } from '../support/fakes/memory-archive-tier.ts';
import { MemoryEventIndex } from '../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../support/fakes/memory-event-log.ts';
import { indexAppended, objectsOfHour } from '../support/hour-objects.ts';
import { variant } from '../support/samples.ts';

const HOUR = Date.UTC(2024, 2, 7, 9) / 1000;
const PREFIX = partitionPrefix(HOUR);
const EVENTS = 100;

/** A memory log counting the events read since the index last moved entries (what a run holds at most). */
class CountingLog extends MemoryEventLog {
  held = 0;
  mostHeld = 0;
  override async read(location: EventLocation): Promise<DomainEvent> {
    this.mostHeld = Math.max(this.mostHeld, ++this.held);
    return super.read(location);
  }
}

/** Events of one hour, one a second but given out of order, so only sorting puts them in (timestamp, id) order. */
function hourEvents(n: number): DomainEvent[] {
  return Array.from({ length: n }, (_, i) => (i * 37) % n).map((k) => variant('cash_deposit', {
    EventTimeStamp: HOUR + Math.floor(k / 2), RequestId: `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`,
  }) as DomainEvent);
}

async function setup(n = EVENTS) {
  const log = new CountingLog(new MemoryArchiveTier(() => 0));
  const index = new MemoryEventIndex();
  const relocate = index.relocate.bind(index);
  index.relocate = async (moves) => { await relocate(moves); log.held = 0; };
  const events = hourEvents(n);
  await indexAppended(index, events, await log.append(events));
  return { log, index, events };
}

/** Identities of every line of the hour's segments, segment by segment in key order (segment, segment-2, …). */
async function segmentLines(log: MemoryEventLog): Promise<string[][]> {
  const out: string[][] = [];
  for (let n = 1; log.objects.has(nthSegmentKey(PREFIX, n)); n++) {
    const ids: string[] = [];
    for await (const { event } of log.readObject(nthSegmentKey(PREFIX, n))) ids.push(eventId(event));
    out.push(ids);
  }
  return out;
}

const sortedIds = (events: readonly DomainEvent[]) =>
  [...events].sort((a, b) => a.EventTimeStamp - b.EventTimeStamp || (eventId(a) < eventId(b) ? -1 : 1)).map(eventId);

const test = suite('compactHour in chunks');

test('an hour larger than maxSegmentEvents becomes several segments holding every event once, in replay order', async () => {
  const { log, index, events } = await setup();
  const report = await compactHour({ log, index }, PREFIX, { maxSegmentEvents: 30 });
  const segments = await segmentLines(log);
  assert.equal(segments.map((s) => s.length), [30, 30, 30, 10]);
  assert.equal(segments.flat(), sortedIds(events));
  assert.equal(report.segmentsWritten, [1, 2, 3, 4].map((n) => nthSegmentKey(PREFIX, n)));
  assert.equal(await objectsOfHour(log, HOUR), ['segment-2.ndjson', 'segment-3.ndjson', 'segment-4.ndjson', 'segment.ndjson']);
});

test('every index entry points at its own line of a segment after a compaction in chunks', async () => {
  const { log, index, events } = await setup();
  await compactHour({ log, index }, PREFIX, { maxSegmentEvents: 30 });
  for (const e of events) {
    const entry = (await index.get(eventId(e)))!;
    assert.is(eventId(await log.read(entry.location)), eventId(e));
  }
});

test('entries an index yields out of (timestamp, identity) order still make segments in replay order', async () => {
  const { log, index, events } = await setup();
  const between = index.between.bind(index);
  index.between = async function* (q) {
    const all = [];
    for await (const e of between(q)) all.push(e);
    yield* all.reverse();
  };
  await compactHour({ log, index }, PREFIX, { maxSegmentEvents: 30 });
  assert.equal((await segmentLines(log)).flat(), sortedIds(events));
});

test('no more than maxSegmentEvents events are read before the index moves them and they are let go', async () => {
  const { log, index } = await setup();
  await compactHour({ log, index }, PREFIX, { maxSegmentEvents: 30 });
  assert.is(log.mostHeld, 30);
});

test('without limits given, an hour within the defaults is one segment', async () => {
  const { log, index } = await setup();
  const report = await compactHour({ log, index }, PREFIX);
  assert.equal(report.segmentsWritten, [`${PREFIX}segment.ndjson`]);
});

test('an hour larger than maxSegmentBytes is split too, each segment within the bytes', async () => {
  const { log, index, events } = await setup();
  const size = (await index.get(eventId(events[0]!)))!.size;
  const maxSegmentBytes = 12 * (size + 1);
  await compactHour({ log, index }, PREFIX, { maxSegmentBytes });
  const segments = [...log.objects].filter(([k]) => k.startsWith(`${PREFIX}segment`));
  assert.is(segments.length, Math.ceil(EVENTS / 12));
  for (const [key, body] of segments) assert.ok(Buffer.byteLength(body) <= maxSegmentBytes, `${key} holds ${Buffer.byteLength(body)} bytes`);
  assert.equal((await segmentLines(log)).flat(), sortedIds(events));
});

test('a run with no pending event reads no segment a run left, so revisiting a finished hour costs no segment reads', async () => {
  const { log, index, events } = await setup(20);
  await compactHour({ log, index }, PREFIX, { maxSegmentEvents: 5 });
  const stray = nthSegmentKey(PREFIX, 9);
  await log.writeSegment(stray, events.slice(0, 2).map(serializeEvent));
  const report = await compactHour({ log, index }, PREFIX, { maxSegmentEvents: 5 });
  assert.equal([report.compacted, log.reads.get(stray)], [0, undefined]);
});

test('an event larger than maxSegmentBytes gets a segment of its own', async () => {
  const { log, index } = await setup(3);
  const report = await compactHour({ log, index }, PREFIX, { maxSegmentBytes: 10 });
  assert.equal([report.compacted, report.segmentsWritten.length], [3, 3]);
});

for (const name of ['maxSegmentEvents', 'maxSegmentBytes'] as const) {
  test(`a ${name} below 1 is refused, naming the option, before anything moves`, async () => {
    const { log, index } = await setup(3);
    const error = await rejects(() => compactHour({ log, index }, PREFIX, { [name]: 0 }), InvalidArgumentError);
    assert.is(error.argument, name);
    assert.is((await objectsOfHour(log, HOUR)).length, 3);
  });
}

test.run();
