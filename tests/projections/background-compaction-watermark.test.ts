// Background compaction (serve, run) looks only at hours that can still need it: a run lists the hours that ended or
// got events since the last run (its watermark in dispatch.db), never the whole history, and misses no hour that an
// event with an old EventTimeStamp, an event indexed late or an index repair brought back into play.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { repairIndex } from '../../adapters/local/index-repair.ts';
import { partitionPrefix } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { EventLog } from '../../domain/ports/event-log.ts';
import { compactHotHours, type HotCompactionOptions, type HotCompactionReport } from '../../projections/background-compaction.ts';
import { checkpointKind } from '../../projections/checkpoint-kinds.ts';
import { DAY_AGO, filesOf, NOW, RECENT, twoHours } from './support/two-hours.ts';

const HOUR_MS = 3_600_000;

/** A data dir opened with a clock the test sets; `run` is one background run, reporting the hour folders it listed. */
interface Opened {
  clock: number;
  run(options?: HotCompactionOptions, stop?: 'stop after the first hour'): Promise<HotCompactionReport & { listed: string[] }>;
  /** A new event in the hour starting at `hour` (epoch seconds): emitted, or only appended to the log (not indexed). */
  add(hour: number, how: 'emit' | 'append'): Promise<void>;
  readonly local: LocalEventlake;
}

async function opened(dataDir: string): Promise<Opened> {
  const local = await openLocalEventlake({ dataDir, now: () => lake.clock });
  const listed: string[] = [];
  let removed = false;
  const log = new Proxy(local.log, {
    get: (target, key) => key === 'list' ? (prefix: string) => { listed.push(prefix); return target.list(prefix); }
      : key === 'remove' ? (keys: readonly string[]) => { removed = true; return target.remove(keys); }
        : Reflect.get(target, key, target) as unknown,
  }) as EventLog;
  const lake: Opened = {
    clock: NOW, local,
    async run(options = {}, stop) {
      listed.length = 0;
      removed = false;
      const stopped = () => stop !== undefined && removed;
      return { ...(await compactHotHours({ log, index: local.index, checkpoints: local.checkpoints, now: local.now }, { ...options, stopped })), listed: [...listed] };
    },
    async add(hour, how) {
      const [event] = generateEvents({ accounts: 3, days: 1 / 24, eventsPerDay: 24 * 20, start: hour, seed: 9 }).filter((e) => e.EventTimeStamp < hour + 3600);
      if (how === 'emit') await local.lake.emit(event);
      else await local.log.append([event!]);
    },
  };
  return lake;
}

/** `work` with `dataDir` opened, closed after. */
async function withOpened(dataDir: string, work: (lake: Opened) => Promise<void>): Promise<void> {
  const lake = await opened(dataDir);
  try {
    await work(lake);
  } finally {
    await lake.local.close();
  }
}

const test = suite('background compaction: watermark');

test('a run after one that compacted everything due lists no hour', async () => {
  const dataDir = await twoHours();
  await withOpened(dataDir, async (lake) => {
    const first = await lake.run();
    assert.equal([first.listed, first.eventsCompacted], [[partitionPrefix(DAY_AGO), partitionPrefix(DAY_AGO)], 3]);
    lake.clock = NOW + HOUR_MS;
    const second = await lake.run();
    assert.equal([second.listed, second.hoursVisited, second.eventsCompacted], [[], 0, 0]);
  });
});

test('an hour that ends between two runs is the only one the later run lists, and it is compacted', async () => {
  const dataDir = await twoHours();
  await withOpened(dataDir, async (lake) => {
    await lake.run();
    // RECENT ended 1.5 h before NOW: 24 h after that it is due.
    lake.clock = NOW + 23 * HOUR_MS;
    const later = await lake.run();
    assert.equal([later.hoursVisited, later.hoursCompacted, later.eventsCompacted], [1, 1, 2]);
    assert.ok(later.listed.every((p) => p === partitionPrefix(RECENT)), later.listed.join(', '));
  });
  assert.equal(filesOf(dataDir, RECENT), ['segment.ndjson']);
});

test('an event emitted with an old EventTimeStamp into a compacted hour is compacted by the next run, which lists only that hour', async () => {
  const dataDir = await twoHours();
  await withOpened(dataDir, async (lake) => {
    await lake.run();
    await lake.add(DAY_AGO, 'emit');
    const next = await lake.run();
    assert.equal([next.hoursVisited, next.hoursCompacted, next.eventsCompacted], [1, 1, 1]);
    assert.ok(next.listed.every((p) => p === partitionPrefix(DAY_AGO)), next.listed.join(', '));
  });
  assert.equal(filesOf(dataDir, DAY_AGO), ['segment-2.ndjson', 'segment.ndjson']);
});

test('an event in the log but not yet indexed when its hour was compacted is compacted by the first run after it is indexed', async () => {
  const dataDir = await twoHours();
  await withOpened(dataDir, async (lake) => {
    await lake.add(DAY_AGO, 'append');
    assert.is((await lake.run()).eventsCompacted, 3);
    await lake.local.catchUp();
    assert.is((await lake.run()).eventsCompacted, 1);
  });
  assert.equal(filesOf(dataDir, DAY_AGO), ['segment-2.ndjson', 'segment.ndjson']);
});

test('an old event emitted after a run with a shorter compactAfterHours waits until its hour is due under the longer one', async () => {
  const dataDir = await twoHours();
  await withOpened(dataDir, async (lake) => {
    assert.is((await lake.run({ compactAfterHours: 1 })).hoursCompacted, 2);
    await lake.add(RECENT, 'emit');
    assert.is((await lake.run({ compactAfterHours: 24 })).eventsCompacted, 0, 'an hour not due under 24 h was compacted');
    lake.clock = NOW + 23 * HOUR_MS;
    assert.is((await lake.run({ compactAfterHours: 24 })).eventsCompacted, 1);
  });
  assert.equal(filesOf(dataDir, RECENT), ['segment-2.ndjson', 'segment.ndjson']);
});

test('a run stopped between hours keeps the hours it finished: the next run lists only the rest', async () => {
  const dataDir = await twoHours();
  await withOpened(dataDir, async (lake) => {
    const stopped = await lake.run({ compactAfterHours: 1 }, 'stop after the first hour');
    assert.equal([stopped.hoursVisited, stopped.hoursCompacted], [1, 1]);
    const rest = await lake.run({ compactAfterHours: 1 });
    assert.equal([rest.hoursVisited, rest.hoursCompacted, rest.eventsCompacted], [1, 1, 2]);
    assert.ok(rest.listed.every((p) => p === partitionPrefix(RECENT)), rest.listed.join(', '));
  });
});

test('an index repair that renumbers positions makes the next run look at every hour again', async () => {
  const dataDir = await twoHours();
  await withOpened(dataDir, async (lake) => {
    await lake.run({ compactAfterHours: 1 });
    await lake.add(DAY_AGO, 'emit');
  });
  // The repair puts batch objects before segments: the late event comes first, and both segments after it.
  await repairIndex(dataDir);
  await withOpened(dataDir, async (lake) => {
    assert.is((await lake.run({ compactAfterHours: 1 })).eventsCompacted, 1);
  });
  assert.equal(filesOf(dataDir, DAY_AGO), ['segment-2.ndjson', 'segment.ndjson']);
});

test('the watermark\'s names are of a kind the index repair knows', () => {
  assert.equal(['compaction:hot:hour', 'compaction:hot:position'].map(checkpointKind), ['hot-watermark', 'hot-watermark']);
});

test.run();
