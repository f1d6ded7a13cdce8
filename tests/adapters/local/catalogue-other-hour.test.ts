// The identity catalogue refuses a RequestId reused in another hour itself, under the lock every appender takes: emit's
// look in index.db came before that lock, so two emits at once (one per hour) could both be told `stored`.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { EventConflictError } from '../../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { catalogueKey } from '../../../adapters/local/sqlite-log-catalogue.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES, variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const deposit = SAMPLES['cash_deposit']!;
const withdrawal = SAMPLES['cash_withdrawal']!;
/** The deposit's identity with other content two hours later: another hour, another catalogue key. */
const later = variant('cash_deposit', { EventTimeStamp: deposit.EventTimeStamp + 7200 }) as DomainEvent;

const test = suite('SqliteLogCatalogue: an identity in another hour');

test('an identity stored in one hour is a conflict in another, naming the stored object, before any indexer ran', async () => {
  const log = await FsEventLog.open(tempDir());
  try {
    const [stored] = await log.append([deposit]);
    const error = await rejects(() => log.append([later]), EventConflictError);
    assert.is(error.key, stored!.key);
    assert.is(error.eventId, eventId(deposit));
  } finally {
    await log.close();
  }
});

test('a batch with an identity of another hour stores none of its events, as a same-hour conflict', async () => {
  const log = await FsEventLog.open(tempDir());
  try {
    await log.append([deposit]);
    const end = await log.journalEnd();
    await rejects(() => log.append([withdrawal, later]), EventConflictError);
    assert.is(await log.journalEnd(), end);
    assert.is((await log.append([withdrawal]))[0]!.status, 'stored');
  } finally {
    await log.close();
  }
});

test('two log instances of one data dir (two processes) share the check: the second gets the conflict', async () => {
  const dir = tempDir();
  const first = await FsEventLog.open(dir);
  const second = await FsEventLog.open(dir);
  try {
    const [stored] = await first.append([deposit]);
    const error = await rejects(() => second.append([later]), EventConflictError);
    assert.is(error.key, stored!.key);
  } finally {
    await first.close();
    await second.close();
  }
});

test('the same event sent again in its own hour is still a duplicate', async () => {
  const log = await FsEventLog.open(tempDir());
  try {
    const [stored] = await log.append([deposit]);
    assert.equal(await log.append([deposit]), [{ ...stored!, status: 'duplicate' }]);
  } finally {
    await log.close();
  }
});

test('a catalogue made with the identity index identities_id drops it on open, and the identities it holds are still found', async () => {
  const dir = tempDir();
  const layout = dataDirLayout(dir);
  const log = await FsEventLog.open(dir);
  await log.append([deposit]);
  await log.close();
  const db = new Database(layout.logCatalogue);
  db.exec(`CREATE INDEX identities_id ON identities (substr(key, instr(key, '/') + 1))`); // as 52e56f1 made it
  db.close();
  const reopened = await FsEventLog.open(dir);
  try {
    await rejects(() => reopened.append([later]), EventConflictError);
  } finally {
    await reopened.close();
  }
  const check = new Database(layout.logCatalogue, { readonly: true });
  const indexes = (check.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'identities'`).all() as { name: string }[]).map((r) => r.name);
  check.close();
  assert.equal(indexes.filter((n) => !n.startsWith('sqlite_autoindex')), ['identities_offset']);
});

test('an identity held in another hour by an older catalogue row (no journal line left) is still a conflict', async () => {
  const dir = tempDir();
  mkdirSync(dataDirLayout(dir).journalDir, { recursive: true });
  const log = await FsEventLog.open(dir);
  await log.close();
  // As repairCatalogue writes an identity whose object is a segment or one-event object: offset -1.
  const db = new Database(dataDirLayout(dir).logCatalogue);
  db.prepare('INSERT INTO identities VALUES (?, -1)').run(catalogueKey(eventId(deposit), deposit.EventTimeStamp));
  db.close();
  const reopened = await FsEventLog.open(dir);
  try {
    const error = await rejects(() => reopened.append([later]), EventConflictError);
    assert.match(error.key, /hour=23\/cash_deposit_/);
  } finally {
    await reopened.close();
  }
});

test.run();
