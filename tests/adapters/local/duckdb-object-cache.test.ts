// The columnar cache behind DuckDbEventQuery.eventsBetween: the same rows as the catalogue's SQL, never stale.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbEventQuery } from '../../../adapters/local/duckdb-event-query.ts';
import { cachedObject, ObjectCache } from '../../../adapters/local/duckdb-object-cache.ts';
import { InvalidArgumentError, QueryFailedError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventKey, hourStart, partitionPrefix, segmentKey, serializeEvent } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import type { TimeRangeQuery } from '../../../domain/ports/event-index.ts';
import { QUERY_CATALOGUE } from '../../../domain/query-catalogue.ts';
import { batchObjectKey } from '../../../domain/batch-objects.ts';
import { rejects } from '../../support/async.ts';
import { type Placement, put, writeLog } from '../../support/log-fixture.ts';
import { tempDir } from '../../support/tmp.ts';

const START = Date.UTC(2024, 2, 7) / 1000;
const H = 3600;
const events = generateEvents({ accounts: 12, days: 2, eventsPerDay: 240, start: START, seed: 11 });
const placement = (hour: number): Placement =>
  hour === START + 5 * H ? 'restored' : hour === START + 6 * H ? 'archived' : ((hour - START) / H) % 3 === 0 ? 'files' : 'segment';
const hourOf = (h: number) => events.filter((e) => hourStart(e.EventTimeStamp) === START + h * H);
const segmentText = (list: readonly DomainEvent[]) => list.map((e) => `${serializeEvent(e)}\n`).join('');

/** The same query through the cache and through SQL (cache off), on the same files. */
async function both(dataDir: string, q: TimeRangeQuery, cached = new DuckDbEventQuery({ dataDir })) {
  const sql = new DuckDbEventQuery({ dataDir, cacheRows: 0 });
  try {
    return { cached: await cached.eventsBetween(q), sql: await sql.eventsBetween(q) };
  } finally {
    await sql.close();
  }
}

const test = suite('DuckDbEventQuery eventsBetween cache');

test('ranges and filters give exactly the rows, columns and unreadable objects of the SQL', async () => {
  const dataDir = tempDir();
  writeLog(dataDir, events, placement);
  const query = new DuckDbEventQuery({ dataDir });
  const cases: TimeRangeQuery[] = [
    { from: START, to: START + 48 * H },
    { from: START + 3 * H + 600, to: START + 9 * H },
    { from: START + 4 * H + 1, to: START + 7 * H - 1 },
    { from: START + 30 * H, to: START + 30 * H + 1 },
    { from: START, to: START + 48 * H, types: ['cash_withdrawal', 'incoming_payment'] },
    { from: START, to: START + 48 * H, accounts: ['ACC-000003', 'ACC-000007'] },
    { from: START + 2 * H, to: START + 40 * H, types: ['inter_account_transfer'], accounts: ['ACC-000001'] },
    { from: START - 400 * 24 * H, to: START - 1 },
  ];
  for (const q of cases) {
    const r = await both(dataDir, q, query);
    assert.equal(r.cached, { ...r.sql, stats: r.cached.stats }, JSON.stringify(q));
  }
  await query.close();
});

test('a segment rewritten after it was cached is read again', async () => {
  const dataDir = tempDir();
  writeLog(dataDir, events, placement);
  const query = new DuckDbEventQuery({ dataDir });
  const range = { from: START + H, to: START + 2 * H };
  const before = await query.eventsBetween(range);
  const list = hourOf(1);
  // Same length, other bytes: the RequestId of the first event changes one character.
  const text = segmentText(list);
  const id = String(list[0]!['RequestId']);
  const changed = text.replace(id, `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`);
  assert.is(changed.length, text.length);
  writeFileSync(join(dataDir, segmentKey(partitionPrefix(START + H))), changed);
  const after = await query.eventsBetween(range);
  assert.is.not(JSON.stringify(after.rows), JSON.stringify(before.rows));
  assert.equal(after.rows, (await both(dataDir, range)).sql.rows);
  await query.close();
});

test('a segment replaced by rename (a new file) is read again', async () => {
  const dataDir = tempDir();
  writeLog(dataDir, events, placement);
  const query = new DuckDbEventQuery({ dataDir });
  const range = { from: START + H, to: START + 2 * H };
  assert.is((await query.eventsBetween(range)).rows.length, hourOf(1).length);
  const path = join(dataDir, segmentKey(partitionPrefix(START + H)));
  writeFileSync(`${path}.new`, segmentText(hourOf(1).slice(0, 3)));
  renameSync(`${path}.new`, path);
  assert.is((await query.eventsBetween(range)).rows.length, 3);
  await query.close();
});

test('a removed segment is no longer read; an archived one then shows as unreadable', async () => {
  const dataDir = tempDir();
  writeLog(dataDir, events, placement);
  const query = new DuckDbEventQuery({ dataDir });
  const range = { from: START + H, to: START + 3 * H };
  assert.is((await query.eventsBetween(range)).rows.length, hourOf(1).length + hourOf(2).length);
  const key = segmentKey(partitionPrefix(START + H));
  put(join(dataDir, 'archive', 'GLACIER', key), segmentText(hourOf(1)));
  rmSync(join(dataDir, key));
  const r = await query.eventsBetween(range);
  assert.is(r.rows.length, hourOf(2).length);
  assert.equal(r.unreadable, [key]);
  await query.close();
});

test('a restored copy that appears after a query is read by the next one', async () => {
  const dataDir = tempDir();
  writeLog(dataDir, events, placement);
  const query = new DuckDbEventQuery({ dataDir });
  const range = { from: START + 6 * H, to: START + 7 * H };
  const key = segmentKey(partitionPrefix(START + 6 * H));
  assert.equal([(await query.eventsBetween(range)).rows.length, (await query.eventsBetween(range)).unreadable], [0, [key]]);
  put(join(dataDir, 'restored', key), segmentText(hourOf(6)));
  const r = await query.eventsBetween(range);
  assert.equal([r.rows.length, r.unreadable], [hourOf(6).length, []]);
  await query.close();
});

test('a one-event copy written after its segment was cached is deduplicated, the segment winning', async () => {
  const dataDir = tempDir();
  const list = hourOf(1);
  writeLog(dataDir, list, () => 'segment');
  const query = new DuckDbEventQuery({ dataDir });
  const range = { from: START + H, to: START + 2 * H };
  const first = await query.eventsBetween(range);
  put(join(dataDir, eventKey(list[2]!)), `${serializeEvent(list[2]!)}\n`);
  const r = await both(dataDir, range, query);
  assert.equal(r.cached.rows, first.rows);
  assert.equal(r.cached.rows, r.sql.rows);
  assert.is(new Set(r.cached.rows.map((row) => row['object_key'])).size, 1);
  await query.close();
});

test('a batch object still beside the segment its events were compacted into yields to the segment, in cache and SQL', async () => {
  const dataDir = tempDir();
  const list = hourOf(1);
  writeLog(dataDir, list, () => 'segment');
  const prefix = partitionPrefix(list[0]!.EventTimeStamp);
  put(join(dataDir, batchObjectKey(prefix, 7)), segmentText(list.slice(0, 3))); // "batch-…" sorts before "segment…"
  const r = await both(dataDir, { from: START + H, to: START + 2 * H });
  assert.equal(r.cached.rows, r.sql.rows);
  assert.is(r.cached.rows.length, list.length);
  assert.equal([...new Set(r.cached.rows.map((row) => row['object_key']))], [segmentKey(prefix)]);
});

test('a hot segment and its restored copy are one set of events, read from the hot path as SQL would', async () => {
  const dataDir = tempDir();
  const list = hourOf(1);
  writeLog(dataDir, list, () => 'segment');
  put(join(dataDir, 'restored', segmentKey(partitionPrefix(START + H))), segmentText(list));
  const r = await both(dataDir, { from: START + H, to: START + 2 * H });
  assert.is(r.cached.rows.length, list.length);
  assert.equal(r.cached.rows, r.sql.rows);
});

test('one-event objects removed by compaction are no longer read, and their segment is', async () => {
  const dataDir = tempDir();
  const list = hourOf(3);
  writeLog(dataDir, list, () => 'files');
  const query = new DuckDbEventQuery({ dataDir });
  const range = { from: START + 3 * H, to: START + 4 * H };
  assert.ok((await query.eventsBetween(range)).rows.every((row) => String(row['object_key']).endsWith('.event')));
  put(join(dataDir, segmentKey(partitionPrefix(START + 3 * H))), segmentText(list));
  for (const e of list) rmSync(join(dataDir, eventKey(e)));
  const r = await query.eventsBetween(range);
  assert.is(r.rows.length, list.length);
  assert.ok(r.rows.every((row) => row['object_key'] === segmentKey(partitionPrefix(START + 3 * H))));
  await query.close();
});

test('objects of one hour whose events interleave (concurrent batch objects) come back in replay order', async () => {
  const dataDir = tempDir();
  const list = [...hourOf(1), ...hourOf(2)];
  list.forEach((e, i) => put(join(dataDir, partitionPrefix(e.EventTimeStamp), `batch-${String(i % 3).padStart(13, '0')}.ndjson`), ''));
  const texts = new Map<string, string>();
  list.forEach((e, i) => {
    const path = join(dataDir, partitionPrefix(e.EventTimeStamp), `batch-${String(i % 3).padStart(13, '0')}.ndjson`);
    texts.set(path, (texts.get(path) ?? '') + `${serializeEvent(e)}\n`);
  });
  for (const [path, text] of texts) writeFileSync(path, text);
  put(join(dataDir, segmentKey(partitionPrefix(START + 3 * H))), segmentText(hourOf(3)));
  const r = await both(dataDir, { from: START + H, to: START + 4 * H });
  assert.is(r.cached.rows.length, list.length + hourOf(3).length);
  assert.equal(r.cached.rows, r.sql.rows);
});

test('a partition folder the listing cannot vouch for is read by SQL, with the same result', async () => {
  const dataDir = tempDir();
  writeLog(dataDir, hourOf(1), () => 'segment');
  put(join(dataDir, 'events/year=2024/month=03/day=07/hour=1x/segment.ndjson'), segmentText(hourOf(2)));
  const r = await both(dataDir, { from: START, to: START + 48 * H });
  assert.equal(r.cached.rows, r.sql.rows);
});

test('events with a non-ASCII RequestId are ordered as SQL orders them (by bytes)', async () => {
  const dataDir = tempDir();
  const list = hourOf(1).slice(0, 4).map((e, i) => ({ ...e, EventTimeStamp: START + H, RequestId: ['z', 'é', '\u{1F600}', '\uFFFD'][i]! }));
  put(join(dataDir, segmentKey(partitionPrefix(START + H))), segmentText(list));
  const r = await both(dataDir, { from: START + H, to: START + 2 * H });
  assert.equal(r.cached.rows, r.sql.rows);
});

test('ids with quotes, backslashes and control characters come back exactly', async () => {
  const dataDir = tempDir();
  const list = hourOf(1).slice(0, 5).map((e, i) => ({ ...e, RequestId: ['a"b', 'c\\d', 'e\nf', 'g\u0001h', "i'j,k"][i]! }));
  put(join(dataDir, segmentKey(partitionPrefix(START + H))), segmentText(list));
  const r = await both(dataDir, { from: START + H, to: START + 2 * H });
  assert.equal(r.cached.rows, r.sql.rows);
  assert.ok(r.cached.rows.some((row) => String(row['event_id']).endsWith('e\nf')));
});

test('a malformed object fails the query with QueryFailedError, as SQL does', async () => {
  const dataDir = tempDir();
  writeLog(dataDir, hourOf(1), () => 'segment');
  put(join(dataDir, partitionPrefix(START + H), 'broken.event'), '{"EventType": "cash_dep');
  const query = new DuckDbEventQuery({ dataDir });
  await rejects(() => query.eventsBetween({ from: START + H, to: START + 2 * H }), QueryFailedError);
  await query.close();
});

test('a cache smaller than the range still answers every query exactly', async () => {
  const dataDir = tempDir();
  writeLog(dataDir, events, placement);
  const query = new DuckDbEventQuery({ dataDir, cacheRows: 30 });
  for (const q of [{ from: START, to: START + 48 * H }, { from: START + 10 * H, to: START + 20 * H }, { from: START, to: START + 48 * H }]) {
    const r = await both(dataDir, q, query);
    assert.equal(r.cached.rows, r.sql.rows);
  }
  await query.close();
});

test('a bad filter value rejects with InvalidArgumentError (it does not throw)', async () => {
  const query = new DuckDbEventQuery({ dataDir: tempDir() });
  const pending = query.eventsBetween({ from: START, to: START + H, types: ['no spaces allowed'] });
  await rejects(() => pending, InvalidArgumentError);
  await query.close();
});

test('a catalogue with its own events_to_replay is run as written, not from the cache', async () => {
  const dataDir = tempDir();
  writeLog(dataDir, hourOf(1), () => 'segment');
  const own = { ...QUERY_CATALOGUE['events_to_replay']!, sql: `${QUERY_CATALOGUE['events_to_replay']!.sql.replace(/ORDER BY event_time, event_id$/, 'ORDER BY event_time DESC, event_id DESC')}` };
  const query = new DuckDbEventQuery({ dataDir, catalogue: { ...QUERY_CATALOGUE, events_to_replay: own } });
  const r = await query.eventsBetween({ from: START + H, to: START + 2 * H });
  const sql = (await both(dataDir, { from: START + H, to: START + 2 * H })).sql;
  assert.equal(r.rows, [...sql.rows].reverse());
  await query.close();
});

test.run();

const cache = suite('ObjectCache');
const object = (identity: string, ids: string[]) =>
  cachedObject(identity, '', { types: ids.map(() => 't'), requestIds: ids, times: ids.map(() => 1), sources: ids.map(() => null), targets: ids.map(() => null) });

cache('every file holding an id that another cached row holds is marked shared, and only those', () => {
  const c = new ObjectCache(100);
  c.set('a', object('1', ['x', 'y']));
  c.set('b', object('1', ['z']));
  assert.equal([c.isShared('a'), c.isShared('b')], [false, false]);
  c.set('c', object('1', ['y']));
  assert.equal([c.isShared('a'), c.isShared('b'), c.isShared('c')], [true, false, true]);
  c.set('d', object('1', ['w', 'w']));
  assert.ok(c.isShared('d'));
});

cache('after a holder is dropped, a new holder of the same id is still marked shared with the remaining one', () => {
  const c = new ObjectCache(100);
  c.set('a', object('1', ['x']));
  c.set('b', object('1', ['x']));
  c.set('a', object('2', ['q']));
  c.set('c', object('1', ['x']));
  assert.equal([c.isShared('b'), c.isShared('c')], [true, true]);
});

cache('a file is served only while its identity is unchanged', () => {
  const c = new ObjectCache(100);
  c.set('a', object('1', ['x']));
  assert.ok(c.get('a', '1'));
  assert.is(c.get('a', '2'), undefined);
});

cache('trim drops the least recently used files down to the row limit', () => {
  const c = new ObjectCache(3);
  c.set('a', object('1', ['x', 'y']));
  c.set('b', object('1', ['z']));
  c.get('a', '1');
  c.set('c', object('1', ['v']));
  c.trim();
  assert.equal([c.get('b', '1'), !!c.get('a', '1'), !!c.get('c', '1'), c.size.rows], [undefined, true, true, 3]);
});

cache('rows are kept in replay order (time, then id)', () => {
  const o = cachedObject('1', 'k', { types: ['t', 't', 't'], requestIds: ['b', 'a', 'c'], times: [2n, 2n, 1n], sources: [null, null, null], targets: [null, null, null] });
  assert.equal([[...o.times], o.ids], [[1, 2, 2], ['t_c', 't_a', 't_b']]);
});

cache.run();
