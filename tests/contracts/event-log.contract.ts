// Contract of the EventLog port: every adapter (FsEventLog, S3EventLog) must pass these, through the port alone.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventConflictError, EventNotFoundError } from '../../domain/errors.ts';
import { eventId, eventKey, partitionPrefix, segmentKey, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import type { EventLog, LocatedEvent, LogObject } from '../../domain/ports/event-log.ts';
import { rejects } from '../support/async.ts';
import { SAMPLES, variant } from '../support/samples.ts';

type Subject = { subject: EventLog; cleanup?: () => Promise<void> };

const deposit = SAMPLES['cash_deposit']!;
const withdrawal = SAMPLES['cash_withdrawal']!;
const transfer = SAMPLES['inter_account_transfer']!;

/** A cash deposit with its own RequestId (`n` in the last block), at `timestamp`. */
function depositNo(n: number, timestamp = deposit.EventTimeStamp): DomainEvent {
  const rid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return variant('cash_deposit', { RequestId: rid, EventTimeStamp: timestamp }) as DomainEvent;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** How an adapter groups appended events into objects: one object per event (S3), or one per append and hour (local). */
export type AppendLayout = 'one-event objects' | 'batch objects';

/**
 * Runs the EventLog contract against the adapter `makeSubject` builds (a fresh, empty log per test).
 *
 * @example
 * eventLogContract('FsEventLog', async () => ({ subject: await FsEventLog.open(tempDir()) }), 'batch objects');
 */
export function eventLogContract(name: string, makeSubject: () => Promise<Subject>, layout: AppendLayout = 'one-event objects'): void {
  const test = suite<{ log: EventLog; cleanup?: () => Promise<void> }>(`EventLog contract: ${name}`, { log: undefined as never });
  test.before.each(async (ctx) => {
    const { subject, cleanup } = await makeSubject();
    ctx.log = subject;
    ctx.cleanup = cleanup;
  });
  test.after.each(async (ctx) => {
    await ctx.cleanup?.();
  });

  test('a new event is stored in an object of its hour partition, sized as its canonical line', async ({ log }) => {
    const [r] = await log.append([deposit]);
    const size = Buffer.byteLength(serializeEvent(deposit)) + 1;
    assert.equal({ id: r!.id, status: r!.status, size: r!.size }, { id: eventId(deposit), status: 'stored', size });
    assert.ok(r!.key.startsWith('events/year=2009/month=02/day=13/hour=23/'), r!.key);
    assert.is(r!.location.key, r!.key);
    if (layout === 'one-event objects') {
      assert.equal(r!.location, { key: eventKey(deposit) });
      assert.is(r!.key, 'events/year=2009/month=02/day=13/hour=23/cash_deposit_3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f.event');
    } else {
      assert.equal(r!.location, { key: r!.key, offset: 0, length: size - 1 });
    }
  });

  test('an event reads back byte-identical to what was appended', async ({ log }) => {
    const [r] = await log.append([transfer]);
    assert.is(serializeEvent(await log.read(r!.location)), serializeEvent(transfer));
  });

  test('every event of a batch reads back from its location', async ({ log }) => {
    const events = [depositNo(1), transfer, depositNo(2), withdrawal, depositNo(3)];
    const results = await log.append(events);
    for (const [i, r] of results.entries()) assert.is(serializeEvent(await log.read(r.location)), serializeEvent(events[i]!));
  });

  test('a duplicate reports where the stored copy is', async ({ log }) => {
    const [first] = await log.append([depositNo(1), deposit]).then((r) => r.slice(1));
    const [again] = await log.append([deposit]);
    assert.equal(again, { ...first!, status: 'duplicate' });
  });

  test('appending the same event again reports duplicate and keeps one object', async ({ log }) => {
    await log.append([deposit]);
    const [again] = await log.append([deposit]);
    assert.is(again!.status, 'duplicate');
    assert.is((await collect(log.list(partitionPrefix(deposit.EventTimeStamp)))).length, 1);
  });

  test('the same event twice in one batch is stored once, then reported duplicate', async ({ log }) => {
    const results = await log.append([deposit, deposit]);
    assert.equal(results.map((r) => r.status), ['stored', 'duplicate']);
  });

  test('same identity with other content throws EventConflictError and writes nothing of the batch', async ({ log }) => {
    await log.append([deposit]);
    const changed = variant('cash_deposit', { Amount: '999.99' }) as DomainEvent;
    const before = await collect(log.list('events/'));
    const error = await rejects(() => log.append([withdrawal, changed]), EventConflictError);
    assert.is(error.eventId, eventId(deposit));
    assert.equal(await collect(log.list('events/')), before);
    const [again] = await log.append([deposit]);
    assert.is(serializeEvent(await log.read(again!.location)), serializeEvent(deposit));
  });

  test('two versions of one identity inside one batch conflict and write nothing', async ({ log }) => {
    const changed = variant('cash_deposit', { Reference: 'other' }) as DomainEvent;
    await rejects(() => log.append([withdrawal, deposit, changed]), EventConflictError);
    assert.equal(await collect(log.list('events/')), []);
  });

  test('an empty batch appends nothing', async ({ log }) => {
    assert.equal(await log.append([]), []);
  });

  test('reading an absent key throws EventNotFoundError', async ({ log }) => {
    await rejects(() => log.read({ key: eventKey(deposit) }), EventNotFoundError);
  });

  test('readObject of the object an event was appended to yields the event at its location', async ({ log }) => {
    const [r] = await log.append([withdrawal]);
    const located = await collect(log.readObject(r!.key));
    assert.equal(located.map((l) => l.location), [r!.location]);
    assert.is(serializeEvent(located[0]!.event), serializeEvent(withdrawal));
  });

  test('segment lines come back from readObject with locations that read() resolves', async ({ log }) => {
    const events = [depositNo(1), depositNo(2), transfer];
    const key = segmentKey(partitionPrefix(deposit.EventTimeStamp));
    const written = await log.writeSegment(key, events.map(serializeEvent));
    const located: LocatedEvent[] = await collect(log.readObject(key));
    assert.equal(located.map((l) => l.location), written.locations);
    assert.equal(located.map((l) => serializeEvent(l.event)), events.map(serializeEvent));
    for (const [i, l] of located.entries()) assert.is(serializeEvent(await log.read(l.location)), serializeEvent(events[i]!));
    assert.is(written.size, events.reduce((n, e) => n + Buffer.byteLength(serializeEvent(e)) + 1, 0));
  });

  test('a segment is write-once: other lines under its key are refused and the original stays', async ({ log }) => {
    const key = segmentKey(partitionPrefix(deposit.EventTimeStamp));
    await log.writeSegment(key, [serializeEvent(depositNo(1))]);
    await rejects(() => log.writeSegment(key, [serializeEvent(depositNo(2))]), EventConflictError);
    const located = await collect(log.readObject(key));
    assert.equal(located.map((l) => eventId(l.event)), [eventId(depositNo(1))]);
  });

  test('rewriting a segment with the same lines returns the same result (a retried compaction is harmless)', async ({ log }) => {
    const key = segmentKey(partitionPrefix(deposit.EventTimeStamp));
    const lines = [serializeEvent(depositNo(1)), serializeEvent(depositNo(2))];
    assert.equal(await log.writeSegment(key, lines), await log.writeSegment(key, lines));
  });

  test('list returns the objects under a prefix in key order with their sizes', async ({ log }) => {
    const hour = 3600;
    const events = [depositNo(3, 1_700_000_000 + 2 * hour), depositNo(1, 1_700_000_000), depositNo(2, 1_700_000_000 + hour), withdrawal];
    const results = await log.append(events);
    const all: LogObject[] = await collect(log.list('events/'));
    const sizes = new Map<string, number>();
    for (const r of results) sizes.set(r.key, (sizes.get(r.key) ?? 0) + r.size);
    assert.equal(all, [...sizes].map(([key, size]) => ({ key, size })).sort((a, b) => (a.key < b.key ? -1 : 1)));
    const only2023 = await collect(log.list('events/year=2023/'));
    assert.equal(only2023.map((o) => o.key), all.filter((o) => o.key.startsWith('events/year=2023/')).map((o) => o.key));
    assert.is(only2023.length, 3);
  });

  test('list matches a prefix that ends inside a name, as S3 does', async ({ log }) => {
    await log.append([depositNo(1, 1_700_000_000), withdrawal]);
    const keys = (await collect(log.list('events/year=20'))).map((o) => o.key);
    assert.is(keys.length, 2);
    assert.equal(await collect(log.list('events/year=2030')), []);
  });

  test('removed objects can no longer be read or listed; removing an absent key is fine', async ({ log }) => {
    const [a] = await log.append([depositNo(1)]);
    const [b] = await log.append([depositNo(2)]);
    await log.remove([a!.key, 'events/year=2001/month=01/day=01/hour=00/cash_deposit_absent.event']);
    await rejects(() => log.read(a!.location), EventNotFoundError);
    assert.equal((await collect(log.list('events/'))).map((o) => o.key), [b!.key]);
  });

  test('a large batch is stored whole and each event reads back', async ({ log }) => {
    const events = Array.from({ length: 300 }, (_, i) => depositNo(i, 1_700_000_000 + i * 60));
    const results = await log.append(events);
    assert.ok(results.every((r) => r.status === 'stored'));
    const listed = (await collect(log.list('events/'))).map((o) => o.key);
    assert.equal(listed, [...new Set(results.map((r) => r.key))].sort());
    const hours = new Set(events.map((e) => partitionPrefix(e.EventTimeStamp))).size;
    assert.is(listed.length, layout === 'one-event objects' ? 300 : hours);
    assert.is(serializeEvent(await log.read(results[299]!.location)), serializeEvent(events[299]!));
  });

  test.run();
}
