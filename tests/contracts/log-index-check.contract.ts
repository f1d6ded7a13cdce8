// Contract of the port-level log/index check (projections/log-index-check.ts): on any target's log, index and archive
// tier, a whole log is whole and each kind of damage is found and named, and archived objects are counted, not read.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { accountsOf, type DomainEvent } from '../../domain/event.ts';
import type { ArchiveTier } from '../../domain/ports/archive-tier.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { AppendResult, EventLog } from '../../domain/ports/event-log.ts';
import { checkLogAgainstIndex } from '../../projections/log-index-check.ts';
import { variant } from '../support/samples.ts';

/** A fresh, empty log, index and archive tier of one target. */
export interface LogIndexSubject {
  readonly log: EventLog;
  readonly index: EventIndex;
  readonly archive: ArchiveTier;
  /** Move an object to an archive class; with `restored`, also give it a readable restored copy. */
  archiveObject(key: string, restored?: boolean): Promise<void>;
  cleanup?(): Promise<void>;
}

/** A cash deposit with its own RequestId (`n` in the last block). */
function depositNo(n: number): DomainEvent {
  return variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;
}

/** Append `events` in one append and index the first `indexed` where the log put them (what the indexer does). */
async function stored(s: LogIndexSubject, events: readonly DomainEvent[], indexed = events.length, skew = 0): Promise<AppendResult[]> {
  const results = await s.log.append(events);
  await s.index.put(results.slice(0, indexed).map((r, i) => ({
    id: r.id, type: events[i]!.EventType, timestamp: events[i]!.EventTimeStamp + skew, accounts: accountsOf(events[i]!),
    location: r.location, size: r.size, storageClass: 'STANDARD' as const, restore: 'NONE' as const,
  })));
  return results;
}

/** Reads of the log's objects, recorded by key, so a test can say which objects were never read. */
function recordingReads(log: EventLog, read: string[]): EventLog {
  return {
    ...log,
    append: (events) => log.append(events),
    read: (location) => (read.push(location.key), log.read(location)),
    readObject: (key) => (read.push(key), log.readObject(key)),
    ...(log.readObjectBytes ? { readObjectBytes: (key: string) => (read.push(key), log.readObjectBytes!(key)) } : {}),
    list: (prefix) => log.list(prefix),
    writeSegment: (key, lines) => log.writeSegment(key, lines),
    remove: (keys) => log.remove(keys),
  };
}

/**
 * Runs the contract against the subject `make` builds (a fresh, empty one per test).
 *
 * @example
 * logIndexCheckContract('local adapters', async () => ({ log, index, archive, archiveObject: (k) => archive.transition(k, 'GLACIER') }));
 */
export function logIndexCheckContract(name: string, make: () => Promise<LogIndexSubject>): void {
  const test = suite<{ s: LogIndexSubject }>(`checkLogAgainstIndex: ${name}`, { s: undefined as never });
  test.before.each(async (ctx) => {
    ctx.s = await make();
  });
  test.after.each(async (ctx) => {
    await ctx.s.cleanup?.();
  });

  test('a log whose every event is indexed where it is stored is whole, with nothing found', async ({ s }) => {
    await stored(s, [depositNo(1), depositNo(2), depositNo(3)]);
    const report = await checkLogAgainstIndex(s);
    assert.ok(report.whole, JSON.stringify(report.findings));
    assert.equal([report.checked.events, report.checked.indexEntries], [3, 3]);
    assert.ok(Object.values(report.findings).every((f) => f.count === 0));
  });

  test('a whole log is read once: each object is read by the index walk and not again by the log walk', async ({ s }) => {
    await stored(s, [depositNo(1), depositNo(2)]);
    await stored(s, [depositNo(3)]);
    const read: string[] = [];
    const report = await checkLogAgainstIndex({ ...s, log: recordingReads(s.log, read) });
    assert.ok(report.whole);
    assert.is(read.length, new Set(read).size, read.join(', '));
    assert.is(read.length, report.checked.objects);
  });

  test('an index entry whose object was deleted is a missingObject naming the entry, and the log is not whole', async ({ s }) => {
    await stored(s, [depositNo(1)]);
    const [gone] = await stored(s, [depositNo(2)]);
    await s.log.remove([gone!.location.key]);
    const report = await checkLogAgainstIndex(s);
    assert.not.ok(report.whole);
    assert.is(report.findings.missingObject.count, 1);
    assert.match(report.findings.missingObject.examples[0]!, gone!.id);
  });

  test('a stored event no index entry holds is an unindexedEvent naming it', async ({ s }) => {
    const results = await stored(s, [depositNo(1), depositNo(2), depositNo(3)], 2);
    const report = await checkLogAgainstIndex(s);
    assert.not.ok(report.whole);
    assert.is(report.findings.unindexedEvent.count, 1);
    assert.match(report.findings.unindexedEvent.examples[0]!, results[2]!.id);
  });

  test("an entry pointing at another event's bytes is a wrongLocation naming both events", async ({ s }) => {
    const [a, b] = await stored(s, [depositNo(1), depositNo(2)]);
    await s.index.relocate([{ id: a!.id, location: b!.location }]);
    const report = await checkLogAgainstIndex(s);
    assert.not.ok(report.whole);
    assert.is(report.findings.wrongLocation.count, 1);
    assert.match(report.findings.wrongLocation.examples[0]!, `${a!.id} →`);
    assert.match(report.findings.wrongLocation.examples[0]!, `are event ${b!.id}`);
  });

  test("an entry whose EventTimeStamp is not its event's is a timeMismatch naming both times", async ({ s }) => {
    const [a] = await stored(s, [depositNo(1)], 1, 3600);
    const report = await checkLogAgainstIndex(s);
    assert.not.ok(report.whole);
    assert.is(report.findings.timeMismatch.count, 1);
    assert.match(report.findings.timeMismatch.examples[0]!, a!.id);
    assert.match(report.findings.timeMismatch.examples[0]!, String(depositNo(1).EventTimeStamp + 3600));
  });

  test('archived objects with a restored copy are read through it and counted as checked, not archived', async ({ s }) => {
    const [restored] = await stored(s, [depositNo(1)]);
    await s.archiveObject(restored!.location.key, true);
    const read: string[] = [];
    const report = await checkLogAgainstIndex({ ...s, log: recordingReads(s.log, read) });
    assert.ok(report.whole, JSON.stringify(report.findings));
    assert.equal([report.checked.restoredObjects, report.archived.objects], [1, 0]);
    assert.ok(read.includes(restored!.location.key));
  });

  test('archived objects are counted with their entries and never read, and no restore is started', async ({ s }) => {
    const [archived] = await stored(s, [depositNo(1)]);
    await stored(s, [depositNo(2)]);
    await s.archiveObject(archived!.location.key);
    const read: string[] = [];
    const archive: ArchiveTier = { ...s.archive, storage: (k) => s.archive.storage(k), transition: async () => assert.unreachable('transition'), restore: async () => assert.unreachable('restore') };
    const report = await checkLogAgainstIndex({ log: recordingReads(s.log, read), index: s.index, archive });
    assert.ok(report.whole, JSON.stringify(report.findings));
    assert.equal(report.archived, { objects: 1, events: 1 });
    assert.is(report.checked.objects, 1);
    assert.not.ok(read.includes(archived!.location.key), `read ${read.join(', ')}`);
  });

  test.run();
}
