// Every catalogue query, run by DuckDB over a log on disk, equals the same answer computed directly from the events.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { balancesProjection } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { accountsOf, compareEvents, eventId, eventKey, hourStart, partitionPrefix, segmentKey } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import { parseAmount } from '../../domain/money.ts';
import { foldEvents } from '../../domain/projection.ts';
import { QUERY_CATALOGUE } from '../../domain/query-catalogue.ts';
import { scratchDir } from '../reliability/scratch-dir.ts';
import { type Placement, writeLog } from '../support/log-fixture.ts';

const H = 3600;
// ---- the expected answers, computed directly in TypeScript ----

const within = (events: readonly DomainEvent[], from: number, to: number) => events.filter((e) => e.EventTimeStamp >= from && e.EventTimeStamp < to);
const sortKey = (e: DomainEvent) => ({ timestamp: e.EventTimeStamp, id: eventId(e) });
// The expected answers mostly get lists already in replay order (filters of `readable`): one pass proves it, building a
// sort key only for events of the same second; otherwise each key is built once, not at each comparison (22k events).
const inOrder = (events: readonly DomainEvent[]) =>
  events.every((e, i) => i === 0 || events[i - 1]!.EventTimeStamp < e.EventTimeStamp || compareEvents(sortKey(events[i - 1]!), sortKey(e)) <= 0);
const ordered = (events: readonly DomainEvent[]) => inOrder(events) ? [...events]
  : events.map((e) => ({ e, key: sortKey(e) })).sort((a, b) => compareEvents(a.key, b.key)).map(({ e }) => e);

type KeyOf = (e: DomainEvent) => string;

function expectedReplay(events: readonly DomainEvent[], keyOf: KeyOf, types?: readonly string[], accounts?: readonly string[]): unknown[] {
  return ordered(events)
    .filter((e) => !types || types.includes(e.EventType))
    .filter((e) => !accounts || accountsOf(e).some((a) => accounts.includes(a)))
    .map((e) => ({ event_id: eventId(e), event_type: e.EventType, event_time: e.EventTimeStamp, object_key: keyOf(e) }));
}

function expectedCounts(events: readonly DomainEvent[]): unknown[] {
  const counts = new Map<string, number>();
  // A date string per UTC day, not per event (22k Dates per range otherwise).
  const dates = new Map<number, string>();
  for (const e of events) {
    const day = Math.floor(e.EventTimeStamp / 86_400);
    let date = dates.get(day);
    if (date === undefined) dates.set(day, (date = new Date(e.EventTimeStamp * 1000).toISOString().slice(0, 10)));
    counts.set(`${date} ${e.EventType}`, (counts.get(`${date} ${e.EventType}`) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => ({ event_date: k.split(' ')[0], event_type: k.split(' ')[1], event_count: n }));
}

function expectedHistory(events: readonly DomainEvent[], account: string, keyOf: KeyOf): unknown[] {
  return ordered(events).filter((e) => e['SourceAccount'] === account || e['TargetAccount'] === account).map((e) => ({
    event_id: eventId(e), event_type: e.EventType, event_time: e.EventTimeStamp, source_account: e['SourceAccount'] ?? null,
    target_account: e['TargetAccount'] ?? null, amount: e['Amount'], reference: e['Reference'] ?? null, object_key: keyOf(e),
  }));
}

/** Credits and debits by the rule "a verification replaces its deposit"; net_cents is also checked against the fold. */
function expectedTotals(events: readonly DomainEvent[]): unknown[] {
  const verified = new Set(events.filter((e) => e.EventType === 'verify_cash_deposit').map((e) => e.RequestId));
  const totals = new Map<string, { credits: bigint; debits: bigint; n: number }>();
  const add = (account: unknown, credit: bigint, debit: bigint) => {
    const t = totals.get(String(account)) ?? { credits: 0n, debits: 0n, n: 0 };
    totals.set(String(account), { credits: t.credits + credit, debits: t.debits + debit, n: t.n + 1 });
  };
  for (const e of events) {
    const cents = parseAmount(String(e['Amount']));
    if (['incoming_payment', 'inter_account_transfer', 'verify_cash_deposit'].includes(e.EventType)) add(e['TargetAccount'], cents, 0n);
    if (e.EventType === 'cash_deposit' && !verified.has(e.RequestId)) add(e['TargetAccount'], cents, 0n);
    if (['cash_withdrawal', 'inter_account_transfer'].includes(e.EventType)) add(e['SourceAccount'], 0n, cents);
  }
  const fold = foldEvents(balancesProjection, ordered(events)).counters;
  assert.equal([...totals].map(([a, t]) => [a, t.credits - t.debits]).sort(), [...fold].sort(), 'the direct rule and the fold agree');
  return [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([account, t]) => ({
    account, credits_cents: Number(t.credits), debits_cents: Number(t.debits), net_cents: Number(t.credits - t.debits), movement_count: t.n,
  }));
}

// ---- one suite per log size; both run every query of the catalogue ----

function catalogueSuite(name: string, options: { days: number; eventsPerDay: number; accounts: number; filesHours: number }): void {
  const test = suite(name);
  const start = Date.UTC(2024, 0, 30) / 1000;
  // On tmpfs where there is one: writing and removing the large suite's hundreds of files is not what this file tests.
  const dataDir = scratchDir('eventlake-catalogue-');
  const events = generateEvents({ accounts: options.accounts, days: options.days, eventsPerDay: options.eventsPerDay, start, seed: 11 });
  const archivedHour = start + 30 * H;
  const place = (hour: number): Placement =>
    hour === start + 29 * H ? 'restored' : hour === archivedHour ? 'archived' : hour < start + options.filesHours * H ? 'files' : 'segment';
  // In replay order once: the expected answers filter it, and sorting a sorted list is one pass instead of n log n.
  const readable = ordered(writeLog(dataDir, events, place));
  // An hour's segment key is built once, not once per event of each expected answer.
  const segmentKeys = new Map<number, string>();
  const keyOf: KeyOf = (e) => {
    const hour = hourStart(e.EventTimeStamp);
    if (place(hour) === 'files') return eventKey(e);
    let key = segmentKeys.get(hour);
    if (key === undefined) segmentKeys.set(hour, (key = segmentKey(partitionPrefix(hour))));
    return key;
  };
  const query = new DuckDbEventQuery({ dataDir });
  const [mid, end] = [start + 26 * H + 1234, start + options.days * 86_400 + 2 * H];
  const ranges: [number, number][] = [[start, end], [mid, mid + 7 * H], [mid, end]];
  const timings: string[] = [];
  const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await run();
    timings.push(`${label} ${Math.round(performance.now() - t0)} ms`);
    return r;
  };

  test('the log holds what the suite says', () => {
    assert.ok(events.length >= options.days * options.eventsPerDay);
    assert.ok(Object.keys(QUERY_CATALOGUE).length === 4, 'a new catalogue query needs a check here');
  });

  test('events_to_replay lists every readable event of the range, in replay order', async () => {
    for (const [from, to] of ranges) {
      const r = await timed(`events_to_replay ${(to - from) / H | 0}h`, () => query.named('events_to_replay', { since: from, until: to }));
      assert.equal(r.rows, expectedReplay(within(readable, from, to), keyOf));
      assert.equal(r.unreadable, from <= archivedHour && archivedHour < to ? [segmentKey(partitionPrefix(archivedHour))] : []);
    }
  });

  test('events_to_replay filters by types and accounts', async () => {
    const r = await query.named('events_to_replay', { since: start, until: end, type: 'cash_deposit,verify_cash_deposit', account: 'ACC-000001,ACC-000002' });
    assert.equal(r.rows, expectedReplay(within(readable, start, end), keyOf, ['cash_deposit', 'verify_cash_deposit'], ['ACC-000001', 'ACC-000002']));
  });

  test('counts_per_type_per_day counts the events of each UTC day and type', async () => {
    for (const [from, to] of ranges) {
      const r = await timed(`counts_per_type_per_day ${(to - from) / H | 0}h`, () => query.named('counts_per_type_per_day', { from, to }));
      assert.equal(r.rows, expectedCounts(within(readable, from, to)));
    }
  });

  test('account_history lists every event touching the account', async () => {
    const r = await timed('account_history', () => query.named('account_history', { account: 'ACC-000003' }));
    assert.ok(r.rows.length > 0);
    assert.equal(r.rows, expectedHistory(readable, 'ACC-000003', keyOf));
  });

  test('reconciliation_totals equal the balances fold of the range, in exact cents', async () => {
    const totals = ranges.map(([from, to]) => ({ from, to, expected: expectedTotals(within(readable, from, to)) }));
    for (const { from, to, expected } of totals) {
      const r = await timed(`reconciliation_totals ${(to - from) / H | 0}h`, () => query.named('reconciliation_totals', { from, to }));
      assert.equal(r.rows, expected);
    }
    // The first range holds every readable event: its expected totals are those of the whole log (once a fold of
    // 22k events, not twice).
    assert.is(within(readable, ...ranges[0]!).length, readable.length);
    const one = await query.named('reconciliation_totals', { account: 'ACC-000004' });
    assert.equal(one.rows, (totals[0]!.expected as { account: string }[]).filter((t) => t.account === 'ACC-000004'));
  });

  test.after(async () => {
    await query.close();
    console.log(`\n[summary] ${name}: ${events.length} events; ${timings.join(', ')}`);
  });
  test.run();
}

catalogueSuite('catalogue on DuckDB, small log', { days: 3, eventsPerDay: 200, accounts: 8, filesHours: 12 });
// 22k events: the log's 241 hours, 540 one-event files, restored and archived hours and 11 days are those of the 110k log
// it was (the same seed), at a fifth of the generation, writing, expected answers and DuckDB reads.
catalogueSuite('catalogue on DuckDB, 10 days of 2,000 events', { days: 10, eventsPerDay: 2_000, accounts: 2_000, filesHours: 6 });
