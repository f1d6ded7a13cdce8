// FsEventLog.append on a full disk is all or nothing: whether the journal write, its fdatasync, an object's creation
// or the catalogue's COMMIT fails, the caller gets STORAGE_FULL saying nothing was stored, and once space is freed no
// reader, no recovery and no check finds any of the batch; sending it again stores it.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { StorageFullError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';
import { DISK_FAULTS, depositNo, failNextCommit, failTruncate, fillDisk } from './append-disk-full-faults.ts';

const test = suite('FsEventLog append on a full disk');

const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => depositNo(from + i));

/** Index what the log holds (as every command does after opening), then check the data dir as `eventlake check`. */
async function checkWhole(dir: string, log: FsEventLog): Promise<void> {
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  try {
    await new LocalIndexer({ log, index }).catchUp();
  } finally {
    index.close();
  }
  const report = await checkLog(dir);
  const found = Object.entries(report.findings).filter(([, f]) => f.count > 0).map(([k, f]) => `${k}: ${f.examples.join(', ')}`);
  assert.ok(report.whole, `check finds the data dir whole: ${found.join('; ')}`);
}

async function objectKeys(log: FsEventLog): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of log.list('')) keys.push(o.key);
  return keys;
}

for (const fault of DISK_FAULTS) {
  test(`a ${fault} failing with a full disk stores nothing of the batch: none readable or recovered, sending it again stores all`, async () => {
    const dir = tempDir();
    let log = await FsEventLog.open(dir, { checkpointEvery: 0 });
    const free = fillDisk(dir, fault);
    try {
      const error = await rejects(() => log.append(batch(0, 10)), StorageFullError);
      assert.is(error.code, 'STORAGE_FULL');
      assert.match(error.message, 'storing a batch of 10 events in the log failed: no space left');
      assert.match(error.message, 'nothing of it was stored');
    } finally {
      free();
    }
    await log.close();
    log = await FsEventLog.open(dir, { checkpointEvery: 0 });
    try {
      assert.is((await log.recover()).rematerialized, 0, 'recovery re-creates nothing of the batch');
      assert.equal(await objectKeys(log), [], 'no object of the batch');
      assert.equal((await log.journalSince(0)).entries, [], 'no journal line of the batch');
      await checkWhole(dir, log);
      const again = await log.append(batch(0, 10));
      assert.equal(again.map((r) => r.status), Array(10).fill('stored'));
      await checkWhole(dir, log);
    } finally {
      await log.close();
    }
  });
}

test('events stored before the failed append stay stored and readable', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  try {
    const [first] = await log.append([depositNo(100)]);
    const free = fillDisk(dir, 'journal write');
    try {
      await rejects(() => log.append(batch(0, 10)), StorageFullError);
    } finally {
      free();
    }
    assert.equal((await log.journalSince(0)).entries.map((e) => e.id), [first!.id]);
    assert.equal((await log.append([depositNo(100)]))[0]!.status, 'duplicate');
    assert.equal((await log.append(batch(0, 10))).map((r) => r.status), Array(10).fill('stored'));
  } finally {
    await log.close();
  }
});

test('while a failed COMMIT is undone, another log of the data dir reads nothing of the batch', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const other = await FsEventLog.open(dir, { checkpointEvery: 0 });
  let seen: number | undefined;
  const before = await other.journalEnd();
  // Between the failed COMMIT (SQLite freed the lock) and the undo, another process may take the lock and read.
  const free = failNextCommit(() => void (seen = (other as unknown as { checkpoints: { committedEnd(): number } }).checkpoints.committedEnd()));
  try {
    await rejects(() => log.append(batch(0, 4)), StorageFullError);
  } finally {
    free();
  }
  try {
    assert.is(seen, before, 'the journal end another reader sees stops before the uncommitted batch');
  } finally {
    await other.close();
    await log.close();
  }
});

test('when undoing fails too, the error says part of the batch may be stored and to send it again with the same RequestIds', async () => {
  const dir = tempDir();
  let log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const free = fillDisk(dir, 'journal write');
  const freeTruncate = failTruncate();
  try {
    const error = await rejects(() => log.append(batch(0, 10)), StorageFullError);
    assert.match(error.message, 'part of it may be stored');
    assert.match(error.message, 'send the same events again with the same RequestIds: those stored answer duplicate');
    assert.not.match(error.message, 'nothing of it was stored');
  } finally {
    freeTruncate();
    free();
  }
  await log.close();
  log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  try {
    const statuses = (await log.append(batch(0, 10))).map((r) => r.status);
    assert.ok(statuses.includes('duplicate') && statuses.includes('stored'), `half the journal write was kept: ${statuses}`);
    await checkWhole(dir, log);
  } finally {
    await log.close();
  }
});

test.run();
