// A full disk under the projections (SQLITE_FULL from apply) is no event's fault and no retry helps until space is
// freed: the dispatch tail stops its page at the first failure, dead-letters nothing, backs off between drains, and
// once the store takes writes again resumes from its checkpoint with every event applied once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalDispatcher, type LocalRoute } from '../../adapters/local/local-dispatcher.ts';
import { StorageFullError } from '../../domain/errors.ts';
import { eventId } from '../../domain/event.ts';
import type { DeadLetter, DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import { DispatchTail } from '../../projections/dispatch-tail.ts';
import { memoryCheckpoints } from '../support/fakes/memory-checkpoints.ts';
import { arrayLog, numberedDeposit } from '../support/fakes/array-log.ts';

const EVENTS = Array.from({ length: 6 }, (_, i) => numberedDeposit(i));
const { entries: ENTRIES, index, log } = arrayLog(EVENTS);

/** What better-sqlite3 throws when projections.db cannot grow. */
const sqliteFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

/**
 * A tail over EVENTS (pages of `batchSize`) into a LocalDispatcher with two projections whose store refuses every
 * apply while `full()`; applied ids are counted per projection, dead letters kept, the clock set by the test.
 */
function stalledLake(options: { batchSize?: number } = {}) {
  const { checkpoints, positions } = memoryCheckpoints();
  const letters: DeadLetter[] = [];
  const deadLetters = { add: async (l: DeadLetter) => void letters.push(l), list: async () => letters, remove: async () => undefined } as unknown as DeadLetterStore;
  let full = true;
  let applies = 0;
  const applied = new Map<string, Set<string>>();
  const route = (target: string): LocalRoute => ({
    rule: { name: `${target}-projector`, pattern: { source: ['eventlake'] }, target },
    handler: async (events) => {
      applies += 1;
      if (full) throw sqliteFull();
      // Idempotency keys: a redelivered event is a duplicate, not a second application.
      const ids = applied.get(target) ?? new Set<string>();
      for (const e of events) ids.add(eventId(e));
      applied.set(target, ids);
      return [];
    },
  });
  const dispatcher = new LocalDispatcher({ rules: [route('balances'), route('statement')], deadLetters, sleep: async () => undefined });
  let now = 1_000_000;
  const tail = new DispatchTail({
    index, log, dispatcher, checkpoints, batchSize: options.batchSize ?? 2, sleep: async () => undefined,
    stallBackoff: { baseMs: 1_000, maxMs: 4_000 }, now: () => now,
  });
  return {
    tail, positions, letters, applied,
    applies: () => applies,
    now: () => now,
    advance: (ms: number) => { now += ms; },
    freeSpace: () => { full = false; },
  };
}

const test = suite('dispatch on a full disk');

test('a full disk stops the drain after one apply, without retrying event by event', async () => {
  const lake = stalledLake();
  const report = await lake.tail.drain();
  assert.is(lake.applies(), 1);
  assert.instance(report.stalled, StorageFullError);
  assert.is(report.published, 0);
});

test('a full disk dead-letters no event', async () => {
  const lake = stalledLake();
  await lake.tail.drain();
  assert.equal(lake.letters, []);
});

test('the stall names the full disk and the fix', async () => {
  const lake = stalledLake();
  const { stalled } = await lake.tail.drain();
  assert.match(stalled!.message, /no space left \(SQLITE_FULL\)/);
  assert.match(stalled!.message, /Free space on that disk/);
  assert.is(lake.tail.stall?.error, stalled);
});

test('a drain during the back-off answers the stall without touching the store', async () => {
  const lake = stalledLake();
  await lake.tail.drain();
  lake.advance(999);
  const report = await lake.tail.drain();
  assert.instance(report.stalled, StorageFullError);
  assert.is(lake.applies(), 1);
});

test('each back-off ends with one apply, and the back-off doubles up to its cap', async () => {
  const lake = stalledLake();
  const waits: number[] = [];
  for (let i = 0; i < 4; i++) {
    await lake.tail.drain();
    waits.push(lake.tail.stall!.retryAt - lake.now());
    lake.advance(waits.at(-1)!);
  }
  assert.equal(waits, [1_000, 2_000, 4_000, 4_000]);
  assert.is(lake.applies(), 4);
});

test('the checkpoint stays where the stall began', async () => {
  const lake = stalledLake();
  await lake.tail.drain();
  assert.is(lake.positions.get('dispatch') ?? 0, 0);
  assert.is(lake.tail.stall?.position, 0);
});

test('once space is freed the next drain after the back-off applies every event once to every projection', async () => {
  const lake = stalledLake();
  await lake.tail.drain();
  lake.freeSpace();
  lake.advance(1_000);
  const report = await lake.tail.drain();
  assert.is(report.stalled, undefined);
  assert.is(report.published, EVENTS.length);
  assert.is(lake.positions.get('dispatch'), ENTRIES.at(-1)!.position);
  for (const target of ['balances', 'statement']) assert.equal([...lake.applied.get(target)!].sort(), ENTRIES.map((e) => e.id).sort());
  assert.is(lake.tail.stall, undefined);
  assert.equal(lake.letters, []);
});

test.run();
