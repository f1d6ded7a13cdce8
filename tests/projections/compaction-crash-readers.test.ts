// Readers of a data dir whose compaction crashed between chunks: some of the hour's events are in segments the index
// points at, their batch objects (still needed by later chunks) hold copies of them. eventlake check, the DuckDB
// replay query and repair index must each see every event once (check naming the copies harmless compaction
// leftovers), and a compaction after a repair must finish.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { repairIndex } from '../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { checkLog } from '../../adapters/local/log-check.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { compareEvents, eventId, partitionPrefix, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import { compactHour } from '../../projections/compactor.ts';
import { rejects } from '../support/async.ts';
import { loseIndex } from '../support/index-repair-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

const HOUR = Date.UTC(2024, 2, 7, 9) / 1000;
const PREFIX = partitionPrefix(HOUR);
const LIMIT = { maxSegmentEvents: 7 };

/** A data dir whose hour (3 emits, so 3 batch objects spanning every chunk) was compacted until the 3rd chunk crashed after its relocation. */
async function crashedDataDir(beforeCompaction?: (dir: string) => Promise<void>): Promise<{ dir: string; events: DomainEvent[] }> {
  const dir = tempDir();
  const events = generateEvents({ accounts: 5, days: 1 / 24, eventsPerDay: 24 * 40, start: HOUR }).filter((e) => e.EventTimeStamp < HOUR + 3600);
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    for (let a = 0; a < 3; a++) await local.lake.emit(events.filter((_, i) => i % 3 === a));
    await beforeCompaction?.(dir);
    let relocations = 0;
    const afterRelocate = () => { if (++relocations === 3) throw new Error('simulated crash'); };
    await rejects(() => compactHour({ log: local.log, index: local.index }, PREFIX, { ...LIMIT, afterRelocate }), Error);
  } finally {
    await local.close();
  }
  return { dir, events };
}

/** Every event resolves through the index once, to its own bytes (after finishing the compaction, when `compact`: then each is stored once too). */
async function assertIndexedOnce(dir: string, events: readonly DomainEvent[], compact = false): Promise<void> {
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  const log = await FsEventLog.open(dir);
  try {
    if (compact) await compactHour({ log, index }, PREFIX, LIMIT);
    const byId = new Map(events.map((e) => [eventId(e), e]));
    const ids: string[] = [];
    for await (const e of index.between({ from: HOUR, to: HOUR + 3600 })) {
      assert.is(serializeEvent(await log.read(e.location)), serializeEvent(byId.get(e.id)!));
      ids.push(e.id);
    }
    assert.equal(ids.sort(), [...byId.keys()].sort());
    if (compact) {
      const stored: string[] = [];
      for await (const { key } of log.list(PREFIX)) for await (const { event } of log.readObject(key)) stored.push(eventId(event));
      assert.equal(stored.sort(), [...byId.keys()].sort(), 'every event stored once after the compaction finished');
    }
  } finally {
    index.close();
    await log.close();
  }
}

const replayOrder = (events: readonly DomainEvent[]) =>
  events.map((e) => ({ timestamp: e.EventTimeStamp, id: eventId(e) })).sort(compareEvents).map((e) => e.id);

const test = suite('readers after a crashed compaction');

test('eventlake check after a crashed compaction finds only the relocated events, as compaction leftovers in batch objects, and none once the next run finished', async () => {
  const { dir, events } = await crashedDataDir();
  const check = await checkLog(dir);
  assert.ok(check.whole, JSON.stringify(check.findings));
  const found = Object.entries(check.findings).filter(([, f]) => f.count > 0).map(([kind]) => kind);
  assert.equal(found, ['compactionLeftover'], JSON.stringify(check.findings));
  // 3 chunks relocated; the 3rd stopped before removing, and the batch objects span every chunk, so none was removed.
  assert.is(check.findings.compactionLeftover.count, 3 * LIMIT.maxSegmentEvents);
  assert.ok(check.findings.compactionLeftover.examples.every((line) => /\/batch-\d+\.ndjson: \d+ of its \d+ events already in .*\/segment(-\d+)?\.ndjson/.test(line)), JSON.stringify(check.findings.compactionLeftover));
  await assertIndexedOnce(dir, events, true);
  const after = await checkLog(dir);
  assert.ok(after.whole, JSON.stringify(after.findings));
  assert.is(after.findings.compactionLeftover.count, 0);
});

test('events_to_replay lists every event once, in replay order, while copies remain', async () => {
  const { dir, events } = await crashedDataDir();
  const query = new DuckDbEventQuery({ dataDir: dir });
  try {
    const { rows } = await query.named('events_to_replay', { since: HOUR, until: HOUR + 3600 });
    assert.equal(rows.map((r) => r['event_id']), replayOrder(events));
  } finally {
    await query.close();
  }
});

test('the DuckDB row cache filled before the compaction serves every event once, in replay order, after the crash and after the next run', async () => {
  let query: DuckDbEventQuery | undefined;
  const replayed = async () => (await query!.eventsBetween({ from: HOUR, to: HOUR + 3600 })).rows.map((r) => r['event_id']);
  try {
    const { dir, events } = await crashedDataDir(async (d) => {
      query = new DuckDbEventQuery({ dataDir: d });
      await replayed();
    });
    assert.equal(await replayed(), replayOrder(events), 'after the crash');
    await assertIndexedOnce(dir, events, true);
    assert.equal(await replayed(), replayOrder(events), 'after the next run');
  } finally {
    await query?.close();
  }
});

test('repair index after a crashed compaction indexes every event once, and the next compaction finishes from it', async () => {
  const { dir, events } = await crashedDataDir();
  loseIndex(dir);
  await repairIndex(dir);
  await assertIndexedOnce(dir, events);
  await assertIndexedOnce(dir, events, true);
  const check = await checkLog(dir);
  assert.ok(check.whole, JSON.stringify(check.findings));
});

test.run();
