// compactHour under random crashes (after a segment, after a relocation, part way through a relocation or a remove),
// random limits (1 event, 1 byte, a few events), both layouts (local batch objects, AWS one-event objects), late
// events appended between runs, events emitted while a run works and events the index learns only later: no run
// loses, doubles or wedges an event.
//
// Seeded (EVENTLAKE_FUZZ_SEED overrides; EVENTLAKE_FUZZ_RUNS runs it harder): a failure prints the seed and path.

import fc from 'fast-check';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { compareEvents, eventId, partitionPrefix, serializeEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { AppendResult, EventLog } from '../../domain/ports/event-log.ts';
import { compactHour, type CompactionOptions } from '../../projections/compactor.ts';
import { MemoryArchiveTier } from '../support/fakes/memory-archive-tier.ts';
import { MemoryEventIndex } from '../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../support/fakes/memory-event-log.ts';
import { indexAppended } from '../support/hour-objects.ts';
import { tempDir } from '../support/tmp.ts';

const HOUR = Date.UTC(2024, 2, 7, 9) / 1000;
const PREFIX = partitionPrefix(HOUR);
const RUNS = Number(process.env['EVENTLAKE_FUZZ_RUNS'] ?? 25);
const PARAMS: fc.Parameters<unknown> = {
  numRuns: RUNS, seed: Number(process.env['EVENTLAKE_FUZZ_SEED'] ?? 20261126), includeErrorInReport: true,
  ...(process.env['EVENTLAKE_FUZZ_PATH'] ? { path: process.env['EVENTLAKE_FUZZ_PATH'] } : {}),
};

/** Where a run stops: after its n-th segment, its n-th relocation, half way through its n-th relocation or remove. */
type Crash = { at: 'none' } | { at: 'afterSegment' | 'afterRelocate' | 'relocate' | 'remove'; n: number };

interface Scenario {
  readonly layout: 'local' | 'aws';
  readonly seed: number;
  readonly count: number;
  /** Per event: 0 appended and indexed at first, 1 appended at first but indexed later, 2 appended later (late). */
  readonly arrival: number[];
  /** Per event, the append it goes in (local layout: one batch object per append). */
  readonly append: number[];
  readonly limits: { maxSegmentEvents: number; maxSegmentBytes: number };
  /** The crash of each run before a final run that does not crash. */
  readonly crashes: Crash[];
  /** Whether other events are emitted into the hour while the first run works (before its listing, after each step). */
  readonly emitsDuring: boolean;
}

const crashes: fc.Arbitrary<Crash> = fc.oneof(
  fc.constant<Crash>({ at: 'none' }),
  fc.record({ at: fc.constantFrom('afterSegment' as const, 'afterRelocate' as const, 'relocate' as const, 'remove' as const), n: fc.integer({ min: 1, max: 4 }) }),
);

const scenarios: fc.Arbitrary<Scenario> = fc.record({
  layout: fc.constantFrom('local' as const, 'aws' as const),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  count: fc.integer({ min: 1, max: 30 }),
  arrival: fc.array(fc.constantFrom(0, 0, 0, 1, 2), { minLength: 60, maxLength: 60 }),
  append: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 60, maxLength: 60 }),
  limits: fc.record({ maxSegmentEvents: fc.integer({ min: 1, max: 6 }), maxSegmentBytes: fc.constantFrom(1, 700, 2_000, 8 * 1024 * 1024) }),
  crashes: fc.array(crashes, { minLength: 1, maxLength: 4 }),
  emitsDuring: fc.boolean(),
});

interface Lake {
  readonly log: EventLog;
  readonly index: EventIndex;
  close(): Promise<void>;
}

async function openLake(layout: Scenario['layout']): Promise<Lake> {
  if (layout === 'aws') {
    const log = new MemoryEventLog(new MemoryArchiveTier(() => Date.now()));
    return { log, index: new MemoryEventIndex(), close: async () => {} };
  }
  const dir = tempDir();
  const log = await FsEventLog.open(dir);
  const index = new SqliteEventIndex(join(dir, 'index.db'));
  return { log, index, close: async () => { index.close(); await log.close(); } };
}

/** `log`, crashing as `crash` says (a remove crashed part way removes the first half of its keys); `beforeList` runs before each listing. */
function crashing(log: EventLog, crash: Crash, beforeList = async () => {}): EventLog {
  let removes = 0;
  const remove = async (keys: readonly string[]): Promise<void> => {
    if (crash.at === 'remove' && ++removes === crash.n) {
      await log.remove(keys.slice(0, Math.floor(keys.length / 2)));
      throw new Error('simulated crash in remove');
    }
    await log.remove(keys);
  };
  return {
    append: (events) => log.append(events), read: (l) => log.read(l), readObject: (k) => log.readObject(k), list: (p) => (async function* () { await beforeList(); yield* log.list(p); })(),
    writeSegment: (k, lines) => log.writeSegment(k, lines), remove,
  } as EventLog;
}

/** `index`, its relocation cut after half its moves when `crash` says (DynamoDB commits 100 a transaction). */
function crashingIndex(index: EventIndex, crash: Crash): EventIndex {
  if (crash.at !== 'relocate') return index;
  let calls = 0;
  const relocate = index.relocate.bind(index);
  return Object.assign(Object.create(index) as EventIndex, {
    relocate: async (moves: Parameters<EventIndex['relocate']>[0]) => {
      if (++calls !== crash.n) return relocate(moves);
      await relocate(moves.slice(0, Math.floor(moves.length / 2)));
      throw new Error('simulated crash in relocate');
    },
  });
}

/** The test seams: `during` after every step, then the crash `crash` names. */
function hooksFor(crash: Crash, during = async () => {}): CompactionOptions {
  let calls = 0;
  const step = (at: Crash['at']) => async () => {
    await during();
    if (crash.at !== 'none' && crash.at === at && ++calls === crash.n) throw new Error(`simulated crash ${crash.at}`);
  };
  return { afterSegment: step('afterSegment'), afterRelocate: step('afterRelocate') };
}

/** Append each group, indexing the events `indexed` accepts; returns the others with where they were stored. */
async function appendIndexed(lake: Lake, events: readonly DomainEvent[], groups: readonly number[][], indexed: (e: DomainEvent) => boolean): Promise<[DomainEvent, AppendResult][]> {
  const unindexed: [DomainEvent, AppendResult][] = [];
  for (const group of groups) {
    const batch = group.map((i) => events[i]!);
    if (batch.length === 0) continue;
    const appended = await lake.log.append(batch);
    const keep = batch.map((e, i) => [e, appended[i]!] as const).filter(([e]) => indexed(e));
    await indexAppended(lake.index, keep.map(([e]) => e), keep.map(([, a]) => a));
    batch.forEach((e, i) => { if (!indexed(e)) unindexed.push([e, appended[i]!]); });
  }
  return unindexed;
}

/** Every indexed event of the hour resolves, in replay order, to its own bytes; the index holds exactly `expected`. */
async function assertReadableOnce(lake: Lake, expected: readonly DomainEvent[]): Promise<void> {
  const byId = new Map(expected.map((e) => [eventId(e), e]));
  const ids: string[] = [];
  let last: { timestamp: number; id: string } | undefined;
  for await (const entry of lake.index.between({ from: HOUR, to: HOUR + 3600 })) {
    if (last) assert.ok(compareEvents(last, entry) < 0, 'replay order is (timestamp, identity), each once');
    last = entry;
    assert.is(serializeEvent(await lake.log.read(entry.location)), serializeEvent(byId.get(entry.id)!), `event ${entry.id} reads as stored`);
    ids.push(entry.id);
  }
  assert.equal(ids.sort(), [...byId.keys()].sort());
}

/** Lines stored in the hour's objects, by identity (an event stored twice shows up twice). */
async function storedIds(log: EventLog): Promise<string[]> {
  const ids: string[] = [];
  for await (const { key } of log.list(PREFIX)) for await (const { event } of log.readObject(key)) ids.push(eventId(event));
  return ids.sort();
}

async function check(s: Scenario): Promise<void> {
  const events = generateEvents({ accounts: 4, days: 1 / 24, eventsPerDay: 24 * s.count, start: HOUR, seed: s.seed }).filter((e) => e.EventTimeStamp < HOUR + 3600);
  const arrival = (i: number) => s.arrival[i % s.arrival.length]!;
  const groupsOf = (wanted: (i: number) => boolean): number[][] => {
    const groups: number[][] = [[], [], [], []];
    events.forEach((_, i) => { if (wanted(i)) groups[s.append[i % s.append.length]!]!.push(i); });
    return groups;
  };
  const lake = await openLake(s.layout);
  try {
    const later = new Set(events.filter((_, i) => arrival(i) === 1).map(eventId));
    const waiting = await appendIndexed(lake, events, groupsOf((i) => arrival(i) !== 2), (e) => !later.has(eventId(e)));
    let indexed = events.filter((e, i) => arrival(i) === 0);
    // Emitted while the first run works: each appended and indexed at once, as an emit does (locally under the
    // catalogue lock, on AWS with nothing between it and the compaction).
    const concurrent = s.emitsDuring ? generateEvents({ accounts: 4, days: 1 / 24, eventsPerDay: 24 * 8, start: HOUR, seed: s.seed + 1 }).filter((e) => e.EventTimeStamp < HOUR + 3600) : [];
    const emitted: DomainEvent[] = [];
    const emit = async () => {
      const e = concurrent.shift();
      if (e) await appendIndexed(lake, [e], [[0]], () => true).then(() => emitted.push(e));
    };
    for (const [run, crash] of s.crashes.entries()) {
      const during = run === 0 ? emit : undefined;
      try {
        await compactHour({ log: crashing(lake.log, crash, during), index: crashingIndex(lake.index, crash) }, PREFIX, { ...s.limits, ...hooksFor(crash, during) });
      } catch (error) {
        if (!String(error).includes('simulated crash')) throw error;
      }
      await assertReadableOnce(lake, [...indexed, ...emitted]);
      if (run === 0) {
        // Between runs: the index learns the waiting events, and late ones arrive (indexed at once).
        // At the locations their append gave: an original a run removed too early would not be read back.
        await indexAppended(lake.index, waiting.map(([e]) => e), waiting.map(([, a]) => a));
        await appendIndexed(lake, events, groupsOf((i) => arrival(i) === 2), () => true);
        indexed = events;
      }
    }
    await compactHour(lake, PREFIX, s.limits);
    assert.is(emitted.length > 0, s.emitsDuring, 'events were emitted during the first run');
    const all = [...events, ...emitted];
    await assertReadableOnce(lake, all);
    assert.equal(await storedIds(lake.log), all.map(eventId).sort(), 'every event stored once');
    const again = await compactHour(lake, PREFIX, s.limits);
    assert.equal([again.compacted, again.removed, again.segmentsWritten.length, again.unindexed], [0, 0, 0, 0], 'a finished hour is left as it is');
  } finally {
    await lake.close();
  }
}

const test = suite('compactHour under random crashes, limits and arrivals');

test('whatever run crashes where, the next runs finish with every event stored, indexed and readable exactly once', async () => {
  await fc.assert(fc.asyncProperty(scenarios, check), PARAMS);
});

test.run();
