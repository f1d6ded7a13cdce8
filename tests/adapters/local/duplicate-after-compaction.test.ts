// An append that meets an identity whose batch object compaction removed, while the journal still holds its line
// (the line names the removed object), answers where the event is now, as the index does: its hour's segment.

import { renameSync, mkdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { archivePath, dataDirLayout, hotPath } from '../../../adapters/local/layout.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { isBatchObjectKey } from '../../../domain/batch-objects.ts';
import { ArchivedEventError, EventConflictError, StorageError } from '../../../domain/errors.ts';
import { eventId, partitionPrefix, serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import { compactHour } from '../../../projections/compactor.ts';
import { rejects } from '../../support/async.ts';
import { indexAppended } from '../../support/hour-objects.ts';
import { SAMPLES, variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const deposit = SAMPLES['cash_deposit']!;
const withdrawal = SAMPLES['cash_withdrawal']!; // same hour, another identity: the batch object holds two events
const HOUR = partitionPrefix(deposit.EventTimeStamp);
const otherBytes = variant('cash_deposit', { Amount: '1.00' }) as DomainEvent;
const otherHour = variant('cash_deposit', { EventTimeStamp: deposit.EventTimeStamp + 7200 }) as DomainEvent;

/** A log (no journal segment is ever deleted: no journalReaders) whose hour of `deposit` was compacted. */
async function compacted(): Promise<{ log: FsEventLog; index: SqliteEventIndex; dir: string; batch: string; done: () => Promise<void> }> {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const index = new SqliteEventIndex(join(dir, 'index.db'));
  const events = [deposit, withdrawal];
  const appended = await log.append(events);
  await indexAppended(index, events, appended);
  const report = await compactHour({ log, index }, HOUR);
  assert.is(report.compacted, 2);
  const batch = appended[0]!.key;
  assert.ok(isBatchObjectKey(batch));
  return { log, index, dir, batch, done: async () => { index.close(); await log.close(); } };
}

/** The key the conflict of appending `event` to a compacted log names, and the object the index has the deposit in. */
async function conflictAfterCompaction(event: DomainEvent): Promise<{ named: string; indexed: string }> {
  const { log, index, done } = await compacted();
  try {
    const error = await rejects(() => log.append([event]), EventConflictError);
    return { named: error.key, indexed: (await index.get(eventId(deposit)))!.location.key };
  } finally {
    await done();
  }
}

const test = suite('FsEventLog: an identity whose batch object compaction removed');

test('the same event again is a duplicate located in the segment, readable there, where the index has it', async () => {
  const { log, index, batch, done } = await compacted();
  try {
    const [again] = await log.append([deposit]);
    assert.is(again!.status, 'duplicate');
    assert.is(serializeEvent(await log.read(again!.location)), serializeEvent(deposit));
    assert.is.not(again!.location.key, batch);
    assert.equal(again!.location, (await index.get(eventId(deposit)))!.location);
    assert.is(again!.key, again!.location.key);
  } finally {
    await done();
  }
});

test('other bytes under the identity in its hour are a conflict naming the segment', async () => {
  const { named, indexed } = await conflictAfterCompaction(otherBytes);
  assert.is(named, indexed);
});

test('the identity in another hour is a conflict naming the segment', async () => {
  const { named, indexed } = await conflictAfterCompaction(otherHour);
  assert.is(named, indexed);
});

test('a duplicate whose segment was archived names the archived segment, which read refuses as archived', async () => {
  const { log, index, dir, done } = await compacted();
  try {
    const { key } = (await index.get(eventId(deposit)))!.location;
    const layout = dataDirLayout(dir);
    const glacier = archivePath(layout, 'GLACIER', key);
    mkdirSync(dirname(glacier), { recursive: true });
    renameSync(hotPath(layout, key), glacier); // what the archive tier leaves: the bytes under archive/GLACIER only
    const [again] = await log.append([deposit]);
    assert.is(again!.location.key, key);
    await rejects(() => log.read(again!.location), ArchivedEventError);
  } finally {
    await done();
  }
});

test('an event whose removed batch object no object of its hour replaces is a StorageError, not a duplicate nobody can read', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  try {
    const [stored] = await log.append([deposit]);
    await log.checkpoint();
    unlinkSync(hotPath(dataDirLayout(dir), stored!.key)); // lost, not compacted: no segment holds the event
    const error = await rejects(() => log.append([deposit]), StorageError);
    assert.match(error.message, stored!.key);
  } finally {
    await log.close();
  }
});

test.run();
