// A RequestId reused in another hour is found, under the catalogue lock, in index.db for the identities indexed and
// among the catalogue rows the indexer has not reached yet, whichever process appended them and whatever index.db is.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { renameSync, rmSync } from 'node:fs';
import { EventConflictError } from '../../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { INDEXER_CURSOR, LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { catalogueKey } from '../../../adapters/local/sqlite-log-catalogue.ts';
import { rejects } from '../../support/async.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const T = 1714000000;
const deposit = (n: number, at = T) => variant('cash_deposit', {
  RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, EventTimeStamp: at,
}) as DomainEvent;
/** Deposit 1's identity with other content two hours later. */
const later = deposit(1, T + 7200);

/** A log of `dir` with its indexer, as openLocalEventlake wires them. */
async function openIndexed(dir: string) {
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  const log = await FsEventLog.open(dir, { journalReaders: () => index.cursor(INDEXER_CURSOR) });
  const indexer = new LocalIndexer({ log, index });
  return { log, indexer, close: async () => { await log.close(); index.close(); } };
}

/** A log of `dir` whose deposit 1 is indexed and below the indexer's last append: looked up in index.db only. */
async function depositOneIndexed(dir: string) {
  const opened = await openIndexed(dir);
  await opened.log.append([deposit(1)]);
  await opened.log.append([deposit(2)]);
  await opened.indexer.catchUp();
  await opened.log.append([deposit(3)]);
  return opened;
}

const test = suite('SqliteLogCatalogue: another hour, indexed or not yet');

test('an identity the indexer has indexed (appends after it, so no longer kept in memory) is a conflict in another hour', async () => {
  const dir = tempDir();
  const first = await openIndexed(dir);
  const [stored] = await first.log.append([deposit(1)]);
  await first.log.append([deposit(2)]);
  await first.indexer.catchUp();
  await first.close();
  const second = await FsEventLog.open(dir);
  try {
    const error = await rejects(() => second.append([later]), EventConflictError);
    assert.is(error.key, stored!.key);
  } finally {
    await second.close();
  }
});

test('an identity another process journaled past the indexer\'s cursor (not indexed yet) is a conflict in another hour', async () => {
  const dir = tempDir();
  const first = await openIndexed(dir);
  await first.log.append([deposit(2)]);
  await first.log.append([deposit(3)]);
  await first.indexer.catchUp();
  const second = await FsEventLog.open(dir);
  try {
    await second.append([deposit(4)]); // reads the catalogue rows past the cursor now, then again at the next append
    const [stored] = await first.log.append([deposit(1)]);
    const error = await rejects(() => second.append([later]), EventConflictError);
    assert.is(error.key, stored!.key);
  } finally {
    await second.close();
    await first.close();
  }
});

test('a process whose index.db is lost after it forgot indexed rows reads the catalogue again and still finds the conflict', async () => {
  const dir = tempDir();
  const { log, close } = await depositOneIndexed(dir);
  try {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dataDirLayout(dir).indexDb}${suffix}`, { force: true });
    await rejects(() => log.append([later]), EventConflictError);
  } finally {
    await close();
  }
});

test('an index.db swapped for another file (a rebuild, holding the identity) still finds the conflict', async () => {
  const dir = tempDir();
  const { log, close } = await depositOneIndexed(dir);
  try {
    const layout = dataDirLayout(dir);
    const copy = `${layout.indexDb}.rebuilt`;
    const db = new Database(layout.indexDb);
    db.exec(`VACUUM INTO '${copy}'`);
    db.close();
    for (const suffix of ['-wal', '-shm']) rmSync(`${layout.indexDb}${suffix}`, { force: true });
    rmSync(layout.indexDb);
    const rebuilt = new Database(copy);
    rebuilt.exec(`UPDATE cursors SET value = value + 1000000 WHERE name = '${INDEXER_CURSOR}'`); // all but deposit 1 gone
    rebuilt.prepare('DELETE FROM events WHERE id <> ?').run(eventId(deposit(1)));
    rebuilt.close();
    renameSync(copy, layout.indexDb);
    await rejects(() => log.append([later]), EventConflictError);
  } finally {
    await close();
  }
});

test('a row the catalogue no longer holds (removed by `repair catalogue`) is no conflict, though this process read it', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir);
  try {
    await log.append([deposit(1)]);
    await log.append([deposit(2)]); // deposit 1's row is now kept in memory
    const db = new Database(dataDirLayout(dir).logCatalogue);
    db.prepare('DELETE FROM identities WHERE key = ?').run(catalogueKey(eventId(deposit(1)), T));
    db.close();
    assert.is((await log.append([later]))[0]!.status, 'stored');
  } finally {
    await log.close();
  }
});

test.run();
