// DuckDbEventQuery over a log written on disk: per-event objects, segments, restored and unrestored archive copies.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbEventQuery } from '../../../adapters/local/duckdb-event-query.ts';
import { partitionsInRange } from '../../../adapters/local/duckdb-partitions.ts';
import { ClosedError, InvalidArgumentError, QueryFailedError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { compareEvents, eventId, eventKey, hourStart, partitionPrefix, segmentKey, serializeEvent } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';
import { type Placement, put, writeLog } from '../../support/log-fixture.ts';

const START = Date.UTC(2024, 2, 7) / 1000;
const H = 3600;
// Two days, ≈ 11 events per hour: even hours as one-event objects, odd hours as segments, hour 5 archived and
// restored, hour 6 archived and not restored.
const events = generateEvents({ accounts: 12, days: 2, eventsPerDay: 240, start: START, seed: 7 });
const placement = (hour: number): Placement =>
  hour === START + 5 * H ? 'restored' : hour === START + 6 * H ? 'archived' : ((hour - START) / H) % 2 === 0 ? 'files' : 'segment';
const ARCHIVED_KEY = segmentKey(partitionPrefix(START + 6 * H));
const readable = events.filter((e) => placement(hourStart(e.EventTimeStamp)) !== 'archived');

const dataDir = tempDir();
writeLog(dataDir, events, placement);
put(join(dataDir, partitionPrefix(START), '.half-written.event.123.tmp'), '{"EventType": "cash_dep');
mkdirSync(join(dataDir, 'events/year=2023/month=01/day=01/hour=00'), { recursive: true });
const query = new DuckDbEventQuery({ dataDir });

const ids = (list: readonly DomainEvent[]) =>
  list.map((e) => ({ timestamp: e.EventTimeStamp, id: eventId(e) })).sort(compareEvents).map((e) => e.id);
const inRange = (from: number, to: number) => readable.filter((e) => e.EventTimeStamp >= from && e.EventTimeStamp < to);

const test = suite('DuckDbEventQuery');

test('eventsBetween returns the range identities in replay order, from one-event objects, segments and restored copies', async () => {
  const r = await query.eventsBetween({ from: START + 3 * H + 600, to: START + 9 * H });
  assert.equal(r.rows.map((row) => row['event_id']), ids(inRange(START + 3 * H + 600, START + 9 * H)));
  const keys = new Set(r.rows.map((row) => String(row['object_key'])));
  assert.ok([...keys].some((k) => k.endsWith('.event')) && keys.has(segmentKey(partitionPrefix(START + 5 * H))));
  assert.equal(r.columns, ['event_id', 'event_type', 'event_time', 'object_key']);
});

test('each row names the object holding the event', async () => {
  const r = await query.eventsBetween({ from: START, to: START + 2 * H });
  const byId = new Map(events.map((e) => [eventId(e), e]));
  for (const row of r.rows) {
    const e = byId.get(String(row['event_id']))!;
    const expected = placement(hourStart(e.EventTimeStamp)) === 'files' ? eventKey(e) : segmentKey(partitionPrefix(e.EventTimeStamp));
    assert.is(row['object_key'], expected);
  }
});

test('an unrestored archived object of the range is reported, and its events are missing', async () => {
  const r = await query.eventsBetween({ from: START + 4 * H, to: START + 8 * H });
  assert.equal(r.unreadable, [ARCHIVED_KEY]);
  assert.is(r.rows.some((row) => hourStart(Number(row['event_time'])) === START + 6 * H), false);
});

test('archived objects outside the range, or restored, are not reported', async () => {
  assert.equal((await query.eventsBetween({ from: START + 7 * H, to: START + 30 * H })).unreadable, []);
  assert.equal((await query.eventsBetween({ from: START + 5 * H, to: START + 6 * H })).unreadable, []);
});

test('a range with no objects returns no rows and no error', async () => {
  const r = await query.eventsBetween({ from: START - 400 * 24 * H, to: START - 1 });
  assert.equal([r.rows, r.unreadable], [[], []]);
  assert.equal((await query.named('counts_per_type_per_day', { from: START + 6 * H, to: START + 7 * H })).rows, []);
});

test('folders left empty (archived hours) and dot-named temporary files are not read', async () => {
  const empty = Date.UTC(2023, 0, 1) / 1000;
  assert.equal((await query.eventsBetween({ from: empty, to: empty + H })).rows, []);
  assert.equal((await query.eventsBetween({ from: START, to: START + H })).rows.length, inRange(START, START + H).length);
});

test('types and accounts narrow the range', async () => {
  const r = await query.eventsBetween({ from: START, to: START + 48 * H, types: ['cash_withdrawal', 'incoming_payment'], accounts: ['ACC-000003'] });
  const expected = readable.filter((e) => ['cash_withdrawal', 'incoming_payment'].includes(e.EventType) && (e['SourceAccount'] === 'ACC-000003' || e['TargetAccount'] === 'ACC-000003'));
  assert.ok(expected.length > 0);
  assert.equal(r.rows.map((row) => row['event_id']), ids(expected));
});

test('a quote-laden value is bound as a value, so an injection attempt matches nothing and changes nothing', async () => {
  const attack = "ACC-000001' OR '1'='1";
  assert.equal((await query.named('account_history', { account: attack })).rows, []);
  assert.equal((await query.sql('SELECT count(*) AS n FROM events WHERE TargetAccount = ?', ["x'; DROP VIEW events; --"])).rows, [{ n: 0 }]);
  assert.equal((await query.sql('SELECT count(*) AS n FROM events')).rows, [{ n: readable.length }]);
});

test('sql sees the whole readable log as events, and reports every unrestored archived object', async () => {
  const r = await query.sql('SELECT count(*) AS n, min(EventTimeStamp) AS first FROM events');
  assert.equal(r.rows, [{ n: readable.length, first: readable[0]!.EventTimeStamp }]);
  assert.equal(r.unreadable, [ARCHIVED_KEY]);
});

test('heterogeneous event types share one schema: absent fields are NULL, breakdowns are maps', async () => {
  const r = await query.sql("SELECT Currency, VerifiedCurrency, SourceInstitution FROM events WHERE EventType = 'cash_deposit' LIMIT 1");
  const row = r.rows[0]!;
  assert.is(row['VerifiedCurrency'], null);
  assert.is(row['SourceInstitution'], null);
  assert.type(row['Currency'], 'object');
});

test('an event both in its one-event object and in its hour segment is returned once', async () => {
  const dir = tempDir();
  const list = events.filter((e) => hourStart(e.EventTimeStamp) === START);
  writeLog(dir, list, () => 'segment');
  put(join(dir, eventKey(list[0]!)), `${serializeEvent(list[0]!)}\n`);
  const q = new DuckDbEventQuery({ dataDir: dir });
  const r = await q.eventsBetween({ from: START, to: START + H });
  await q.close();
  assert.equal(r.rows.map((row) => row['event_id']), ids(list));
  assert.is(r.rows[0]!['object_key'], segmentKey(partitionPrefix(START)));
});

test('bad SQL fails with QueryFailedError carrying DuckDB message', async () => {
  const error = await rejects(() => query.sql('SELEKT 1'), QueryFailedError);
  assert.match(error.message, /syntax/i);
});

test('an unknown named query or parameter is an InvalidArgumentError', async () => {
  await rejects(() => query.named('no_such_query', {}), InvalidArgumentError);
  await rejects(() => query.named('account_history', { acount: 'ACC-000001' }), InvalidArgumentError);
});

test('queries started together all answer (they share one connection, one at a time)', async () => {
  const results = await Promise.all([1, 2, 3].map((h) => query.eventsBetween({ from: START + h * H, to: START + (h + 1) * H })));
  assert.equal(results.map((r) => r.rows.length), [1, 2, 3].map((h) => inRange(START + h * H, START + (h + 1) * H).length));
});

test('after close, queries reject', async () => {
  const q = new DuckDbEventQuery({ dataDir });
  await q.sql('SELECT 1');
  await q.close();
  await rejects(() => q.sql('SELECT 1'), ClosedError);
});

test.after(() => query.close());
test.run();

const partitions = suite('partition folders of a time range');

partitions('a few hours are read as hour folders', () => {
  const p = partitionsInRange(join(dataDir, 'events'), { from: START + 2 * H + 1, to: START + 4 * H });
  assert.equal(p.map((x) => [x.dir.slice(dataDir.length), x.level]), [
    ['/events/year=2024/month=03/day=07/hour=02', 3],
    ['/events/year=2024/month=03/day=07/hour=03', 3],
  ]);
});

partitions('a whole day is one day folder, its neighbours are hours', () => {
  const p = partitionsInRange(join(dataDir, 'events'), { from: START + 23 * H, to: START + 49 * H });
  assert.equal(p.map((x) => x.dir.slice(dataDir.length)), [
    '/events/year=2024/month=03/day=07/hour=23',
    '/events/year=2024/month=03/day=08',
    '/events/year=2024/month=03/day=09/hour=00',
  ]);
});

partitions('the whole log is one folder per year', () => {
  const p = partitionsInRange(join(dataDir, 'events'), { from: 0, to: 4_102_444_801 });
  assert.equal(p.map((x) => [x.dir.slice(dataDir.length), x.level]), [['/events/year=2023', 0], ['/events/year=2024', 0]]);
});

partitions.run();
