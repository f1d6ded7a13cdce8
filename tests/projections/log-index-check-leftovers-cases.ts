// What the log/index check says of an interrupted compaction's leftovers, on any target's log, index and archive tier:
// originals a run relocated but did not remove are named apart and leave the log whole; a copy that is not exactly
// such a leftover stays an extraCopy and the log is not whole.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { batchObjectKey } from '../../domain/batch-objects.ts';
import { eventId, partitionPrefix, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import type { ArchiveTier } from '../../domain/ports/archive-tier.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { EventLog } from '../../domain/ports/event-log.ts';
import { compactHour } from '../../projections/compactor.ts';
import { checkLogAgainstIndex, type LogIndexCheckReport } from '../../projections/log-index-check.ts';
import { rejects } from '../support/async.ts';
import { indexAppended } from '../support/hour-objects.ts';
import { variant } from '../support/samples.ts';

/** A fresh, empty log, index and archive tier of one target. */
export interface LeftoverSubject {
  readonly log: EventLog;
  readonly index: EventIndex;
  readonly archive: ArchiveTier;
  cleanup?(): Promise<void>;
}

const depositNo = (n: number): DomainEvent => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;
const EVENTS = [1, 2, 3, 4].map(depositNo);
const PREFIX = partitionPrefix(EVENTS[0]!.EventTimeStamp);

class SimulatedCrash extends Error {}

/** Appends and indexes EVENTS in one append, then compacts their hour and stops it after relocating, before removing. */
export async function interruptedCompaction(s: LeftoverSubject, maxSegmentEvents = EVENTS.length): Promise<string[]> {
  await indexAppended(s.index, EVENTS, await s.log.append(EVENTS));
  const originals: string[] = [];
  for await (const { key } of s.log.list(PREFIX)) originals.push(key);
  const afterRelocate = () => { throw new SimulatedCrash('after relocating, before removing'); };
  await rejects(() => compactHour(s, PREFIX, { maxSegmentEvents, afterRelocate }), SimulatedCrash);
  return originals;
}

/** The finding kinds with a count, and their counts. */
function found(report: LogIndexCheckReport): Record<string, number> {
  return Object.fromEntries(Object.entries(report.findings).filter(([, f]) => f.count > 0).map(([k, f]) => [k, f.count]));
}

/** `event` serialized with its fields in reverse order: the same event, other bytes. */
const reordered = (event: DomainEvent): string => JSON.stringify(Object.fromEntries(Object.entries(event).reverse()));

/** EVENTS stored, compacted by an interrupted run and finished by the next: every event once, in the hour's segment. */
async function compacted(s: LeftoverSubject): Promise<void> {
  await interruptedCompaction(s);
  await compactHour(s, PREFIX);
}

/** `event` stored again by hand at `key` (a copy no compaction made), then the check. */
async function copiedTo(s: LeftoverSubject, key: string, event: DomainEvent): Promise<LogIndexCheckReport> {
  await s.log.writeSegment(key, [serializeEvent(event)]);
  return checkLogAgainstIndex(s);
}

function assertOneExtraCopy(report: LogIndexCheckReport): void {
  assert.not.ok(report.whole);
  assert.equal(found(report), { extraCopy: 1 });
}

/**
 * Runs the cases against the subject `make` builds (a fresh, empty one per test).
 *
 * @example
 * leftoverCheckCases('local adapters', async () => ({ log, index, archive }));
 */
export function leftoverCheckCases(name: string, make: () => Promise<LeftoverSubject>): void {
  const test = suite<{ s: LeftoverSubject }>(`checkLogAgainstIndex, compaction leftovers: ${name}`, { s: undefined as never });
  test.before.each(async (ctx) => {
    ctx.s = await make();
  });
  test.after.each(async (ctx) => {
    await ctx.s.cleanup?.();
  });

  test('originals a compaction relocated but did not remove are compactionLeftover, and the log stays whole', async ({ s }) => {
    const originals = await interruptedCompaction(s);
    const report = await checkLogAgainstIndex(s);
    assert.ok(report.whole, JSON.stringify(report.findings));
    assert.equal(found(report), { compactionLeftover: EVENTS.length });
    const examples = report.findings.compactionLeftover.examples.join('\n');
    for (const key of originals) assert.match(examples, key);
    assert.match(examples, `${PREFIX}segment.ndjson`);
  });

  test('the next compaction run removes the leftovers, and the check then finds nothing', async ({ s }) => {
    await compacted(s);
    const report = await checkLogAgainstIndex(s);
    assert.ok(report.whole);
    assert.equal(found(report), {});
  });

  test("a leftover whose line is not byte for byte its segment's line stays an extraCopy, and the log is not whole", async ({ s }) => {
    const originals = await interruptedCompaction(s);
    const key = originals[0]!;
    const events: DomainEvent[] = [];
    for await (const { event } of s.log.readObject(key)) events.push(event);
    await s.log.remove([key]);
    await s.log.writeSegment(key, events.map((e, i) => (i === 0 ? reordered(e) : serializeEvent(e))));
    const report = await checkLogAgainstIndex(s);
    assert.not.ok(report.whole);
    assert.is(report.findings.extraCopy.count, events.length);
    assert.is(report.findings.compactionLeftover.count, EVENTS.length - events.length);
    assert.match(report.findings.extraCopy.examples.join('\n'), eventId(events[0]!));
  });

  test('a copy in a segment stays an extraCopy: compaction removes batch and one-event objects only', async ({ s }) => {
    await compacted(s);
    assertOneExtraCopy(await copiedTo(s, `${PREFIX}segment-9.ndjson`, EVENTS[0]!));
  });

  test("a copy in another hour's folder stays an extraCopy: compaction of an hour removes only that hour's objects", async ({ s }) => {
    await compacted(s);
    assertOneExtraCopy(await copiedTo(s, `${partitionPrefix(EVENTS[0]!.EventTimeStamp + 3600)}${eventId(EVENTS[0]!)}.event`, EVENTS[0]!));
  });

  test('a copy of an event indexed in an original, not a segment, stays an extraCopy: compaction relocates to segments only', async ({ s }) => {
    await indexAppended(s.index, EVENTS, await s.log.append(EVENTS));
    assertOneExtraCopy(await copiedTo(s, batchObjectKey(PREFIX, 99), EVENTS[0]!));
  });

  test("a batch object with an event of another hour indexed in it stays an extraCopy: its hour's compaction never removes it", async ({ s }) => {
    await compacted(s);
    const later = variant('cash_deposit', { RequestId: '00000000-0000-4000-8000-000000000099', EventTimeStamp: EVENTS[0]!.EventTimeStamp + 3600 }) as DomainEvent;
    const key = batchObjectKey(PREFIX, 99);
    const { locations } = await s.log.writeSegment(key, [serializeEvent(EVENTS[0]!), serializeEvent(later)]);
    await indexAppended(s.index, [later], [{ id: eventId(later), key, location: locations[1]!, status: 'stored', size: Buffer.byteLength(serializeEvent(later)) }]);
    await compactHour(s, PREFIX);
    assertOneExtraCopy(await checkLogAgainstIndex(s));
  });

  test('a one-event object named for another event stays an extraCopy', async ({ s }) => {
    await compacted(s);
    assertOneExtraCopy(await copiedTo(s, `${PREFIX}${eventId(EVENTS[1]!)}.event`, EVENTS[0]!));
  });

  test.run();
}
