// `unreadable` names the archived objects whose events a range misses, and, given the index, only those holding an
// event in the range: a range that cuts into an archived hour must not ask for a restore of events it does not want.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../../adapters/local/duckdb-event-query.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { runLifecycle } from '../../../projections/lifecycle.ts';
import { variant } from '../../support/samples.ts';
import { runCli } from '../../security/cli-run.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('DuckDbEventQuery unreadable objects');
const HOUR = Date.UTC(2024, 2, 1, 10) / 1000;

/** A data dir whose 10:00 hour (events at 10:05 and 10:10 only) is compacted and archived; its segment's key. */
async function archivedHour(): Promise<{ dir: string; segment: string }> {
  const dir = tempDir();
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await local.lake.emit([300, 600].map((s, i) => variant('cash_deposit', { EventTimeStamp: HOUR + s, RequestId: `00000000-0000-4000-8000-00000000000${i}` })));
    await runLifecycle(local, { now: (HOUR + 30 * 86_400) * 1000 });
    const [segment] = (await local.index.objects()).filter((o) => o.storageClass !== 'STANDARD');
    return { dir, segment: segment!.key };
  } finally {
    await local.close();
  }
}

async function unreadableOf(dir: string, range: { from: number; to: number }, withIndex: boolean): Promise<readonly string[]> {
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  const query = new DuckDbEventQuery({ dataDir: dir, ...(withIndex ? { withoutEventsIn: (keys: readonly string[], r: { from: number; to: number }) => index.withoutEventsIn(keys, r) } : {}) });
  try {
    return (await query.eventsBetween(range)).unreadable;
  } finally {
    await query.close();
    index.close();
  }
}

test('a range holding an archived event names its object, with the index or without', async () => {
  const { dir, segment } = await archivedHour();
  for (const withIndex of [true, false]) assert.equal(await unreadableOf(dir, { from: HOUR, to: HOUR + 1800 }, withIndex), [segment]);
});

test('with the index, a range that cuts into the archived hour after its events names nothing', async () => {
  const { dir } = await archivedHour();
  assert.equal(await unreadableOf(dir, { from: HOUR + 1800, to: HOUR + 3600 }, true), []);
});

test('without the index, the folders only know the hour, so the object is named (never fewer than the truth)', async () => {
  const { dir, segment } = await archivedHour();
  assert.equal(await unreadableOf(dir, { from: HOUR + 1800, to: HOUR + 3600 }, false), [segment]);
});

test('an object the index has no entry for is kept: what the index cannot vouch for is not ruled out', async () => {
  const { dir, segment } = await archivedHour();
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  try {
    assert.equal([...(await index.withoutEventsIn([segment, 'events/year=2024/month=03/day=01/hour=10/segment-9.ndjson'], { from: HOUR + 1800, to: HOUR + 3600 }))], [segment]);
  } finally {
    index.close();
  }
});

test('eventlake query asks the index: no restore is suggested for a range after the archived events of its hour', async () => {
  const { dir } = await archivedHour();
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const after = await runCli(['--data-dir', dir, 'query', '--since', iso(HOUR + 1800), '--until', iso(HOUR + 3600)]);
  assert.is(after.code, 0, after.stderr);
  assert.not.match(after.stderr, 'not restored');
  const during = await runCli(['--data-dir', dir, 'query', '--since', iso(HOUR), '--until', iso(HOUR + 1800)]);
  assert.match(during.stderr, 'warning: 1 archived object(s) in the range are not restored');
});

test.run();
