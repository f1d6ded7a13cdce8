// checkLog while an archive run (here the compaction serve and run do by themselves) moves objects under its lease:
// the moves must not read as damage (the check walks again once the lease is free), and objects gone without the
// lease still do.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { localLeaseCheckpoints } from '../../../adapters/local/lease-marks.ts';
import { LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { checkLog, type LogCheckReport } from '../../../adapters/local/log-check.ts';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { renderCheck } from '../../../cli/commands/check-render.ts';
import { TransientError } from '../../../domain/errors.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { ArchiveLease } from '../../../projections/archive-lease.ts';
import { compactHotHours } from '../../../projections/background-compaction.ts';
import { rejects } from '../../support/async.ts';
import { objectFiles } from '../../support/check-data-dir.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';
import { tempDir } from '../../support/tmp.ts';

const START = Date.UTC(2024, 0, 1);

/** A dozen events over one day, one batch object per hour, indexed and closed (the log and index alone). */
async function smallDataDir(): Promise<string> {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  try {
    await log.append(generateEvents({ accounts: 2, days: 1, eventsPerDay: 12, start: START / 1000, seed: 7 }));
    await new LocalIndexer({ log, index }).catchUp();
  } finally {
    index.close();
    await log.close();
  }
  return dir;
}

/** What another process sharing the data dir works with: its log, index and checkpoints (with lease marks). */
async function withRuntime<T>(dir: string, work: (deps: Parameters<typeof compactHotHours>[0]) => Promise<T>): Promise<T> {
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  const store = new SqliteCheckpointStore(dataDirLayout(dir).dispatchDb);
  try {
    return await work({ log, index, checkpoints: localLeaseCheckpoints(store, dir), now: () => START + 3 * 86_400_000 });
  } finally {
    store.close();
    index.close();
    await log.close();
  }
}

/** The hours a background compaction (under the archive lease) compacts, once: on the check's first walk only. */
function compactOnce(dir: string, options: { compactAfterHours?: number } = {}): () => Promise<void> {
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    const report = await withRuntime(dir, (deps) => compactHotHours(deps, options));
    assert.ok(report.hoursCompacted > 0, 'the compaction moved objects during the check');
  };
}

const DAMAGE = ['missingObject', 'extraCopy', 'orphanObject'] as const;
const damage = (report: LogCheckReport) => Object.fromEntries(DAMAGE.map((k) => [k, report.findings[k].count]));
const none = { missingObject: 0, extraCopy: 0, orphanObject: 0 };

const smallCopy = fixtureCopies(smallDataDir);
const test = suite<{ dir: string }>('checkLog overlapped by an archive run');
test.before.each(async (ctx) => {
  ctx.dir = await smallCopy();
});

test('a compaction under the archive lease during the check reports none of its moves as damage, and says it checked again', async ({ dir }) => {
  const report = await checkLog(dir, { afterCopies: compactOnce(dir) });
  assert.equal(damage(report), none, JSON.stringify(report.findings));
  assert.ok(report.whole);
  assert.ok(report.rechecked);
});

test('the text report of such a check says it walked twice, once the lease was free', async ({ dir }) => {
  const lines = renderCheck(await checkLog(dir, { afterCopies: compactOnce(dir) }));
  assert.ok(lines.some((line) => line.startsWith('checked twice: an archive run')), lines.join('\n'));
});

test('an object deleted by hand during the check, with no archive run, is still a missing object and the log is not whole', async ({ dir }) => {
  const [batch] = objectFiles(dir, 'batch-');
  const report = await checkLog(dir, { afterCopies: () => rmSync(join(dir, batch!)) });
  assert.is(report.findings.missingObject.count, 1, JSON.stringify(report.findings));
  assert.not.ok(report.whole);
  assert.not.ok(report.rechecked);
});

test('an object deleted before a check that a compaction overlapped is still a missing object once it checked again', async ({ dir }) => {
  // Compacted: hours that ended 60 h before the runtime's now (START + 72 h), i.e. the first 12; the last one is lost.
  const lost = objectFiles(dir, 'batch-').at(-1)!;
  assert.match(lost, 'hour=23');
  rmSync(join(dir, lost));
  const report = await checkLog(dir, { afterCopies: compactOnce(dir, { compactAfterHours: 60 }) });
  assert.ok(report.rechecked);
  assert.equal(damage(report), { ...none, missingObject: 1 }, JSON.stringify(report.findings));
  assert.not.ok(report.whole);
});

test('a check finding the archive lease held past its wait stops with TRANSIENT naming the lease, reporting nothing', async ({ dir }) => {
  await withRuntime(dir, async ({ checkpoints }) => {
    const lease = await ArchiveLease.acquire(checkpoints!);
    try {
      const error = await rejects(() => checkLog(dir, { leaseWaitMs: 0 }), TransientError);
      assert.match(error.message, 'archive:lease is held until');
    } finally {
      await lease.release();
    }
  });
});

test.run();
