// One archive run at a time on a data dir: runLifecycle holds the `archive:lease` for its whole run, so a second run
// started beside it (another operator, a second process) stops before compacting anything instead of compacting the
// same hours again into segments holding the same events.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { generateEvents } from '../../domain/generator.ts';
import { ArchiveRunInProgressError } from '../../domain/projection-errors.ts';
import { ARCHIVE_LEASE, ArchiveLease, DEFAULT_ARCHIVE_LEASE_MS } from '../../projections/archive-lease.ts';
import { leaseExpiry } from '../../projections/lease.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { rejects } from '../support/async.ts';
import { emittedDataDir, withDataDir } from '../support/emitted-data-dir.ts';

const START = Date.UTC(2024, 0, 1) / 1000;
const EVENTS = generateEvents({ accounts: 5, days: 2, eventsPerDay: 60, start: START, seed: 7 });
/** Old enough for every generated hour to be compacted and archived. */
const NOW = (START + 40 * 86_400) * 1000;

/** How many times each event's line is stored in the data dir's segments, hot (events/) or archived (archive/). */
function segmentLineCopies(dataDir: string): Map<string, number> {
  const copies = new Map<string, number>();
  for (const dir of ['events', 'archive'].map((d) => join(dataDir, d)).filter((d) => existsSync(d))) {
    for (const file of readdirSync(dir, { recursive: true }).map(String)) {
      if (!/segment(-\d+)?\.ndjson$/.test(file)) continue;
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) copies.set(line, (copies.get(line) ?? 0) + 1);
    }
  }
  return copies;
}

const test = suite('archive lease: one archive run at a time');

test('two archive runs at once never compact the same hour twice', async () => {
  const dataDir = await emittedDataDir(EVENTS);
  // Two openings of one data dir: what two `eventlake archive run` processes hold.
  const [a, b] = [await openLocalEventlake({ dataDir }), await openLocalEventlake({ dataDir })];
  try {
    const runs = await Promise.allSettled([runLifecycle(a, { now: NOW }), runLifecycle(b, { now: NOW })]);
    const copies = segmentLineCopies(dataDir);
    assert.is(copies.size, EVENTS.length, 'every event is in a segment');
    assert.equal([...copies.values()].filter((n) => n > 1), [], 'no event is stored twice');
    const refused = runs.filter((r) => r.status === 'rejected');
    assert.is(refused.length, 1, 'one run ran, the other stopped');
    assert.instance((refused[0] as PromiseRejectedResult).reason, ArchiveRunInProgressError);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a run finding the lease held stops before anything is compacted, naming when the lease expires', async () => {
  const dataDir = await emittedDataDir(EVENTS);
  await withDataDir(dataDir, async (local) => {
    const held = await ArchiveLease.acquire(local.checkpoints);
    const error = await rejects(() => runLifecycle(local, { now: NOW }), ArchiveRunInProgressError);
    assert.is(error.code, 'ARCHIVE_RUN_IN_PROGRESS');
    assert.match(error.message, `holds the lease until ${new Date(error.expiresAt).toISOString()}`);
    assert.is(segmentLineCopies(dataDir).size, 0, 'nothing compacted');
    await held.release();
  });
});

test('the lease of a run killed mid-way expires on its own, and the next run then proceeds', async () => {
  await withDataDir(await emittedDataDir(EVENTS), async (local) => {
    await ArchiveLease.acquire(local.checkpoints); // a run killed with SIGKILL: never released
    await rejects(() => runLifecycle(local, { now: NOW }), ArchiveRunInProgressError);
    const afterExpiry = () => Date.now() + DEFAULT_ARCHIVE_LEASE_MS + 1;
    const report = await runLifecycle({ ...local, lease: { now: afterExpiry } }, { now: NOW });
    assert.is(report.eventsCompacted, EVENTS.length);
    assert.is(await local.checkpoints.get(ARCHIVE_LEASE), 0, 'the finished run freed the lease');
  });
});

test('a run renews the lease between hours and chunks, each renewal pushing its expiry forward', async () => {
  await withDataDir(await emittedDataDir(EVENTS), async (local) => {
    const ttlMs = 3_000;
    let clock = Date.now();
    // Every look at the clock finds a sixth of the lease gone: the run lasts many leases, as a long one would.
    const now = () => (clock += ttlMs / 6);
    const written: number[] = [];
    const checkpoints = {
      get: (name: string) => local.checkpoints.get(name),
      set: (name: string, position: number) => local.checkpoints.set(name, position),
      compareAndSet: async (name: string, expected: number, next: number) => {
        if (name === ARCHIVE_LEASE && next !== 0) written.push(leaseExpiry(next));
        return local.checkpoints.compareAndSet(name, expected, next);
      },
    };
    const report = await runLifecycle({ ...local, checkpoints, lease: { now, ttlMs } }, { now: NOW, maxSegmentEvents: 2 });
    assert.is(report.eventsCompacted, EVENTS.length);
    assert.ok(written.length > 10, `renewed as it went (lease writes: ${written.length})`);
    assert.ok(written.every((at, i) => i === 0 || at > written[i - 1]!), 'each renewal pushes the expiry forward');
    assert.is(await local.checkpoints.get(ARCHIVE_LEASE), 0, 'freed at the end');
  });
});

test.run();
