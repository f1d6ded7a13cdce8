// FsEventLog: the EventLog contract, plus what only the local log promises (journal, recovery, races, perms, paths).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ArchivedEventError, EventConflictError, EventNotFoundError, InvalidArgumentError, StorageError } from '../../../domain/errors.ts';
import { eventId, eventKey, serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import type { EventLocation } from '../../../domain/ports/event-log.ts';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { archivePath, dataDirLayout, hotPath, restoredPath } from '../../../adapters/local/layout.ts';
import { eventLogContract } from '../../contracts/event-log.contract.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES, variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';
import { release, startChild } from './fixtures/children.ts';

eventLogContract('FsEventLog', async () => {
  const log = await FsEventLog.open(tempDir());
  return { subject: log, cleanup: () => log.close() };
}, 'batch objects');

const deposit = SAMPLES['cash_deposit']!;
const withdrawal = SAMPLES['cash_withdrawal']!;
const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;
const mode = (p: string) => statSync(p).mode & 0o777;

const test = suite('FsEventLog on disk');

test('folders are created 0700 and files 0600', async () => {
  const dir = join(tempDir(), 'data');
  const log = await FsEventLog.open(dir);
  const [r] = await log.append([deposit]);
  await log.writeSegment('events/year=2009/month=02/day=13/hour=23/segment.ndjson', [serializeEvent(withdrawal)]);
  const l = dataDirLayout(dir);
  for (const d of [dir, l.events, l.journalDir, dirname(hotPath(l, r!.key))]) assert.is(mode(d), 0o700, d);
  for (const f of [hotPath(l, r!.key), l.ingestJournal, l.logCatalogue, `${l.logCatalogue}-wal`, hotPath(l, 'events/year=2009/month=02/day=13/hour=23/segment.ndjson')]) assert.is(mode(f), 0o600, f);
  await log.close();
});

test('keys and prefixes that would escape the data dir are rejected with InvalidArgumentError', async () => {
  const log = await FsEventLog.open(tempDir());
  const bad = ['events/../../etc/passwd', '../outside.event', '/etc/passwd', 'events/year=2009/../../../x.event', 'events/a\\..\\b'];
  for (const key of bad) {
    await rejects(() => log.read({ key }), InvalidArgumentError);
    await rejects(() => log.writeSegment(key, ['{}']), InvalidArgumentError);
    await rejects(() => log.remove([key]), InvalidArgumentError);
    await rejects(async () => { for await (const _ of log.readObject(key)); }, InvalidArgumentError);
  }
  await rejects(async () => { for await (const _ of log.list('events/../')); }, InvalidArgumentError);
});

test('an identity with path characters is only a name: its event is stored in its hour partition', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir);
  const [r] = await log.append([variant('cash_deposit', { EventType: '../../x' }) as DomainEvent]);
  assert.ok(r!.key.startsWith('events/year=2009/month=02/day=13/hour=23/batch-'), r!.key);
  assert.ok(hotPath(dataDirLayout(dir), r!.key).startsWith(dataDirLayout(dir).events));
  assert.is((await log.read(r!.location)).EventType, '../../x');
});

test('one append stores the events of each hour in one batch object, in input order', async () => {
  const log = await FsEventLog.open(tempDir());
  const later = variant('cash_deposit', { RequestId: '00000000-0000-4000-8000-999999999999', EventTimeStamp: deposit.EventTimeStamp + 3600 }) as DomainEvent;
  const results = await log.append([depositNo(1), later, depositNo(2), depositNo(3)]);
  assert.is(new Set(results.map((r) => r.key)).size, 2);
  assert.equal([results[0], results[2], results[3]].map((r) => r!.key), Array(3).fill(results[0]!.key));
  const located = await collect(log.readObject(results[0]!.key));
  assert.equal(located.map((l) => l.location), [results[0], results[2], results[3]].map((r) => r!.location));
  assert.equal(located.map((l) => l.event.RequestId), [1, 2, 3].map((n) => depositNo(n).RequestId));
});

test('an append leaves only its batch objects in their hour folders, no temp files', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const [r] = await log.append([depositNo(1)]);
  assert.equal(readdirSync(dirname(hotPath(dataDirLayout(dir), r!.key))), [r!.key.slice(r!.key.lastIndexOf('/') + 1)]);
  await log.close();
});

test('a file that was not written by the log under a new batch object name, with other bytes, fails the append', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const [first] = await log.append([depositNo(1)]);
  // The next append's object is named after its journal offset, the journal's size now.
  const next = hotPath(dataDirLayout(dir), first!.key.replace(/batch-\d+/, `batch-${String(await log.journalEnd()).padStart(13, '0')}`));
  writeFileSync(next, 'not the journal lines\n');
  await rejects(() => log.append([depositNo(2)]), StorageError);
  await log.close();
});

test('an identity stored by another log instance of the same data dir is a duplicate, and other bytes a conflict', async () => {
  const dir = tempDir();
  const first = await FsEventLog.open(dir);
  const second = await FsEventLog.open(dir);
  const [stored] = await first.append([deposit]);
  assert.equal(await second.append([deposit]), [{ ...stored!, status: 'duplicate' }]);
  await rejects(() => second.append([variant('cash_deposit', { Reference: 'other' }) as DomainEvent]), EventConflictError);
});

test('a lost catalogue is rebuilt from the journal: stored identities stay duplicates', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir);
  const [stored] = await log.append([deposit, withdrawal]);
  await log.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dataDirLayout(dir).logCatalogue}${suffix}`, { force: true });
  const reopened = await FsEventLog.open(dir);
  assert.equal((await reopened.append([deposit]))[0], { ...stored!, status: 'duplicate' });
  await rejects(() => reopened.append([variant('cash_withdrawal', { Reference: 'other' }) as DomainEvent]), EventConflictError);
});

test('journalSince returns stored events in ingestion order and continues from next', async () => {
  const log = await FsEventLog.open(tempDir());
  await log.append([depositNo(1), depositNo(2)]);
  await log.append([depositNo(1)]); // a duplicate is not journaled again
  const first = await log.journalSince(0);
  assert.equal(first.entries.map((e) => e.id), [eventId(depositNo(1)), eventId(depositNo(2))]);
  assert.is(new Set(first.entries.map((e) => e.key)).size, 1);
  assert.equal(first.entries.map((e) => e.location.offset), [0, Buffer.byteLength(serializeEvent(depositNo(1))) + 1]);
  assert.is(first.entries[0]!.size, Buffer.byteLength(serializeEvent(depositNo(1))) + 1);
  assert.is(first.next, await log.journalEnd());
  await log.append([withdrawal]);
  const second = await log.journalSince(first.next);
  assert.equal(second.entries.map((e) => e.id), ['cash_withdrawal_9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c2d']);
  assert.equal((await log.journalSince(second.next)).entries, []);
});

test('journalSince pages with a limit without skipping or repeating entries', async () => {
  const log = await FsEventLog.open(tempDir());
  await log.append(Array.from({ length: 25 }, (_, i) => depositNo(i)));
  const seen: string[] = [];
  for (let offset = 0, n = 0; n < 10; n++) {
    const page = await log.journalSince(offset, 7);
    seen.push(...page.entries.map((e) => e.id));
    offset = page.next;
  }
  assert.equal(seen, Array.from({ length: 25 }, (_, i) => `cash_deposit_${depositNo(i).RequestId}`));
});

test('recovery re-creates a missing batch object and repairs a torn one from the journal', async () => {
  const dir = tempDir();
  const crashed = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const [a, b] = await crashed.append([deposit, depositNo(1)]); // no close(): the process "crashes" here
  const [c] = await crashed.append([withdrawal]);
  const l = dataDirLayout(dir);
  assert.is(a!.key, b!.key);
  unlinkSync(hotPath(l, a!.key));
  truncateSync(hotPath(l, c!.key), 17);
  const report = await (await FsEventLog.open(dir)).recover();
  assert.is(report.rematerialized, 3);
  assert.is(readFileSync(hotPath(l, a!.key), 'utf8'), `${serializeEvent(deposit)}\n${serializeEvent(depositNo(1))}\n`);
  assert.is(readFileSync(hotPath(l, c!.key), 'utf8'), `${serializeEvent(withdrawal)}\n`);
});

test('an append torn by a crash keeps the whole lines the journal holds; its lost event can be appended again', async () => {
  const dir = tempDir();
  const crashed = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const [a, b] = await crashed.append([depositNo(1), depositNo(2)]); // crash during the journal write, before the commit:
  const l = dataDirLayout(dir);
  unlinkSync(hotPath(l, a!.key)); // the object was not created yet,
  truncateSync(l.ingestJournal, statSync(l.ingestJournal).size - 20); // the last line is torn,
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${l.logCatalogue}${suffix}`, { force: true }); // nothing recorded
  const log = await FsEventLog.open(dir);
  assert.is(readFileSync(hotPath(l, a!.key), 'utf8'), `${serializeEvent(depositNo(1))}\n`);
  assert.equal((await log.journalSince(0)).entries.map((e) => e.id), [eventId(depositNo(1))]);
  const [again, lost] = await log.append([depositNo(1), depositNo(2)]);
  assert.equal([again!.status, lost!.status], ['duplicate', 'stored']);
  assert.is.not(lost!.key, b!.key);
  assert.is(serializeEvent(await log.read(lost!.location)), serializeEvent(depositNo(2)));
});

test('recovery still re-creates one-event objects journaled by data dirs from before batch objects', async () => {
  const dir = tempDir();
  const l = dataDirLayout(dir);
  mkdirSync(l.journalDir, { recursive: true });
  const line = `${eventKey(deposit)}\t${serializeEvent(deposit)}`;
  writeFileSync(l.ingestJournal, `\n${line}\t${crc32(line).toString(16).padStart(8, '0')}\n`);
  const log = await FsEventLog.open(dir);
  assert.is(readFileSync(hotPath(l, eventKey(deposit)), 'utf8'), `${serializeEvent(deposit)}\n`);
  assert.equal((await log.journalSince(0)).entries.map((e) => e.location), [{ key: eventKey(deposit) }]);
  assert.is((await log.append([deposit]))[0]!.status, 'duplicate');
});

test('a checkpoint advances the durable marker, so recovery only re-checks newer lines', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  await log.append([deposit]);
  const done = await log.checkpoint();
  assert.is(done.materialized, await log.journalEnd());
  await log.append([withdrawal]);
  assert.is((await (await FsEventLog.open(dir)).recover()).checked, 1);
});

test('a removed object is not brought back by a later recovery', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const [r] = await log.append([deposit]);
  await log.remove([r!.key]);
  const reopened = await FsEventLog.open(dir);
  await rejects(() => reopened.read(r!.location), EventNotFoundError);
  assert.equal((await reopened.journalSince(0)).entries, []);
});

test('a torn journal tail is skipped and the next batch is still journaled and readable', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir);
  await log.append([deposit]);
  appendFileSync(dataDirLayout(dir).ingestJournal, 'events/year=2009/month=02/day=13/hour=23/cash_deposit_x.event\t{"Amo');
  const reopened = await FsEventLog.open(dir);
  await reopened.append([withdrawal]);
  assert.equal((await reopened.journalSince(0)).entries.map((e) => e.id), [eventId(deposit), eventId(withdrawal)]);
});

test('journalSince materializes a journaled event whose writer died before creating its file', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const [r] = await log.append([deposit]);
  unlinkSync(hotPath(dataDirLayout(dir), r!.key));
  assert.equal((await log.journalSince(0)).entries.map((e) => e.location), [r!.location]);
  assert.is(serializeEvent(await log.read(r!.location)), serializeEvent(deposit));
});

test('a background checkpoint runs once enough events are journaled', async () => {
  const log = await FsEventLog.open(tempDir(), { checkpointEvery: 2 });
  await log.append([depositNo(1), depositNo(2), depositNo(3)]);
  assert.is((await log.checkpoint()).checked, 0); // queued behind the background one, which did the work
  const idle = await FsEventLog.open(tempDir(), { checkpointEvery: 0 });
  await idle.append([depositNo(1), depositNo(2), depositNo(3)]);
  assert.is((await idle.checkpoint()).checked, 3);
});

test('a segment location needs offset and length; a range that is not one whole line is not an event', async () => {
  const log = await FsEventLog.open(tempDir());
  const key = 'events/year=2009/month=02/day=13/hour=23/segment.ndjson';
  const { locations } = await log.writeSegment(key, [serializeEvent(deposit), serializeEvent(withdrawal)]);
  await rejects(() => log.read({ key }), InvalidArgumentError);
  await rejects(() => log.read({ key, offset: -1, length: 5 }), InvalidArgumentError);
  await rejects(() => log.read({ key, offset: 3, length: locations[0]!.length! }), EventNotFoundError);
  assert.is(serializeEvent(await log.read(locations[1]!)), serializeEvent(withdrawal));
});

function archive(dir: string, key: string): void {
  const l = dataDirLayout(dir);
  mkdirSync(dirname(archivePath(l, 'GLACIER', key)), { recursive: true });
  renameSync(hotPath(l, key), archivePath(l, 'GLACIER', key));
}

test('an archived object throws ArchivedEventError with its class, is still listed, and re-appending it is a duplicate', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir);
  const [r] = await log.append([deposit]);
  archive(dir, r!.key);
  const error = await rejects(() => log.read(r!.location), ArchivedEventError);
  assert.is(error.storageClass, 'GLACIER');
  assert.equal((await collect(log.list('events/'))).map((o) => o.key), [r!.key]);
  assert.is((await log.append([deposit]))[0]!.status, 'duplicate');
  assert.equal(readdirSync(dirname(hotPath(dataDirLayout(dir), r!.key))), []);
});

test('a restored copy of an archived object is readable', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir);
  const [r] = await log.append([deposit]);
  archive(dir, r!.key);
  const restored = restoredPath(dataDirLayout(dir), r!.key);
  mkdirSync(dirname(restored), { recursive: true });
  writeFileSync(restored, `${serializeEvent(deposit)}\n`);
  assert.is(serializeEvent(await log.read(r!.location)), serializeEvent(deposit));
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

test.run();

const race = suite('FsEventLog across processes');

interface Outcome { id: string; location?: EventLocation; status?: string; error?: string }

/** Two child processes append their own list of events one by one, released at the same moment. */
async function raceAppends(dir: string, lists: readonly DomainEvent[][]): Promise<Outcome[][]> {
  const children = lists.map((events, i) => {
    const file = join(dir, `events-${i}.json`);
    writeFileSync(file, JSON.stringify(events));
    return startChild('append-child.ts', [join(dir, 'data'), file]);
  });
  await Promise.all(children.map((c) => c.ready));
  release(children);
  const outs = await Promise.all(children.map((c) => c.done));
  return outs.map((o) => o.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Outcome));
}

const many = Array.from({ length: 150 }, (_, i) => depositNo(i));

race('two processes appending the same events store each exactly once; the other sees a duplicate', async () => {
  const dir = tempDir();
  const [a, b] = await raceAppends(dir, [many, many]);
  const stored = [...a!, ...b!].filter((o) => o.status === 'stored').map((o) => o.id).sort();
  assert.equal(stored, many.map(eventId).sort());
  assert.is([...a!, ...b!].filter((o) => o.status === 'duplicate').length, many.length);
  const log = await FsEventLog.open(join(dir, 'data'));
  assert.equal((await log.journalSince(0, 1000)).entries.map((e) => e.id).sort(), many.map(eventId).sort());
});

race('two processes racing with different content for the same keys: one stores it, the other gets a conflict', async () => {
  const dir = tempDir();
  const other = many.map((e) => ({ ...e, Reference: 'the other writer' }));
  const [a, b] = await raceAppends(dir, [many, other]);
  const byId = new Map<string, Outcome[]>();
  for (const [who, o] of [...a!.map((o) => ['a', o] as const), ...b!.map((o) => ['b', o] as const)]) byId.set(o.id, [...(byId.get(o.id) ?? []), { ...o, status: o.status && `${who}:${o.status}` }]);
  const log = await FsEventLog.open(join(dir, 'data'));
  assert.is(byId.size, many.length);
  for (const [id, outcomes] of byId) {
    const winner = outcomes.find((o) => o.status?.endsWith(':stored'));
    assert.ok(winner, `nobody stored ${id}`);
    assert.equal(outcomes.filter((o) => o !== winner).map((o) => o.error), ['EVENT_CONFLICT']);
    const stored = await log.read(winner.location!);
    assert.is(stored['Reference'], winner.status!.startsWith('a:') ? deposit['Reference'] : 'the other writer');
  }
  const indexed = (await log.journalSince(0, 1000)).entries;
  assert.is(indexed.length, many.length);
});

race('a process killed between its journal fsync and its catalogue commit loses nothing: the next open recovers both', async () => {
  const dir = tempDir();
  const events = [depositNo(1), withdrawal, depositNo(2)];
  const file = join(dir, 'events.json');
  writeFileSync(file, JSON.stringify(events));
  const child = startChild('append-killed-after-journal.ts', [join(dir, 'data'), file]);
  const out = await child.done;
  assert.not.ok(out.includes('not killed'), out);
  assert.is(child.process.signalCode, 'SIGKILL');
  const log = await FsEventLog.open(join(dir, 'data'));
  const journaled = (await log.journalSince(0)).entries;
  assert.equal(journaled.map((e) => e.id), events.map(eventId));
  for (const [i, e] of journaled.entries()) assert.is(serializeEvent(await log.read(e.location)), serializeEvent(events[i]!));
  assert.equal((await log.append(events)).map((r) => r.status), ['duplicate', 'duplicate', 'duplicate']);
  await rejects(() => log.append([{ ...depositNo(2), Reference: 'other' } as DomainEvent]), EventConflictError);
  await log.close();
});

race.run();
