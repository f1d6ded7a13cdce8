// Background compaction (serve, run): a run compacts only hours that ended compactAfterHours ago, skips its turn while
// another run holds the archive lease, and stops between chunks when asked, leaving every event readable once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { EventLog } from '../../domain/ports/event-log.ts';
import { ArchiveLease } from '../../projections/archive-lease.ts';
import { compactHotHours, compactInBackground } from '../../projections/background-compaction.ts';
import { DAY_AGO, filesOf, NOW, RECENT, twoHours } from './support/two-hours.ts';
import { settlesWithin } from '../support/async.ts';

const segments = (dataDir: string, hour: number) => filesOf(dataDir, hour).filter((f) => /^segment(-\d+)?\.ndjson$/.test(f));

const test = suite('background compaction');

test('a run compacts the hour that ended a day ago and leaves the hour that ended 1.5 h ago', async () => {
  const dataDir = await twoHours();
  const recent = filesOf(dataDir, RECENT);
  const local = await openLocalEventlake({ dataDir, now: () => NOW });
  try {
    const report = await compactHotHours(local);
    assert.equal(report, { hoursVisited: 1, hoursCompacted: 1, eventsCompacted: 3, skipped: false });
  } finally {
    await local.close();
  }
  assert.equal(filesOf(dataDir, DAY_AGO), ['segment.ndjson']);
  assert.equal(filesOf(dataDir, RECENT), recent);
});

test('while another run holds the archive lease a run is skipped and compacts nothing', async () => {
  const dataDir = await twoHours();
  const before = filesOf(dataDir, DAY_AGO);
  const local = await openLocalEventlake({ dataDir, now: () => NOW });
  try {
    const held = await ArchiveLease.acquire(local.checkpoints);
    try {
      assert.equal(await compactHotHours(local), { hoursVisited: 0, hoursCompacted: 0, eventsCompacted: 0, skipped: true });
    } finally {
      await held.release();
    }
  } finally {
    await local.close();
  }
  assert.equal(filesOf(dataDir, DAY_AGO), before);
});

test('stop() during a run returns at the next chunk, and every event is still indexed and queried once', async () => {
  const dataDir = await twoHours();
  const local = await openLocalEventlake({ dataDir, now: () => NOW });
  let stopped: Promise<void> | undefined;
  let compacted = 0;
  const failures: Error[] = [];
  try {
    // Stopped while the first chunk removes its originals: the run must end before the next chunk.
    const log = new Proxy(local.log, {
      get: (target, key) => key === 'remove'
        ? async (keys: readonly string[]) => { stopped ??= compaction.stop(); return target.remove(keys); }
        : Reflect.get(target, key, target) as unknown,
    }) as EventLog;
    const compaction = compactInBackground({ ...local, log, now: local.now, checkpoints: local.checkpoints, index: local.index }, {
      everyMs: 5, maxSegmentEvents: 1, compacted: (r) => { compacted += r.eventsCompacted; }, failed: (e) => failures.push(e),
    });
    for (let i = 0; i < 200 && !stopped; i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(stopped, 'no run started');
    assert.ok(await settlesWithin(stopped!, 2_000), 'stop() waited for more than the chunk');
    assert.equal(failures, []);
    assert.is(segments(dataDir, DAY_AGO).length, 1);
    assert.is(compacted, 0, 'a stopped run reported as compacted');
    // Each indexed entry reads back as its own event, wherever it sits now (segment or original).
    const ids: string[] = [];
    for await (const e of local.index.between({ from: 0, to: NOW / 1000 })) ids.push((await local.log.read(e.location)).RequestId);
    assert.equal([ids.length, new Set(ids).size, await local.index.count()], [5, 5, 5]);
  } finally {
    await local.close();
  }
});

test('every 0 runs nothing', async () => {
  const dataDir = await twoHours();
  const before = filesOf(dataDir, DAY_AGO);
  const local = await openLocalEventlake({ dataDir, now: () => NOW });
  try {
    const compaction = compactInBackground(local, { everyMs: 0, firstAfterMs: 0, compacted: () => undefined, failed: () => undefined });
    await new Promise((r) => setTimeout(r, 30));
    await compaction.stop();
  } finally {
    await local.close();
  }
  assert.equal(filesOf(dataDir, DAY_AGO), before);
});

test.run();
