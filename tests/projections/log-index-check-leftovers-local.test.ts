// Compaction leftovers as the log/index check sees them on the local adapters (FsEventLog's batch objects, the SQLite
// index), and a batch object a crash between chunks left: events still indexed in it beside copies of moved ones.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsArchiveTier } from '../../adapters/local/fs-archive-tier.ts';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { isBatchObjectKey } from '../../domain/batch-objects.ts';
import { checkLogAgainstIndex } from '../../projections/log-index-check.ts';
import { tempDir } from '../support/tmp.ts';
import { interruptedCompaction, leftoverCheckCases, type LeftoverSubject } from './log-index-check-leftovers-cases.ts';

async function localSubject(): Promise<LeftoverSubject> {
  const dataDir = tempDir();
  const log = await FsEventLog.open(dataDir);
  const index = new SqliteEventIndex(join(dataDir, 'index.db'));
  const archive = new FsArchiveTier({ dataDir });
  return { log, index, archive, cleanup: async () => { index.close(); await log.close(); } };
}

leftoverCheckCases('local adapters', localSubject);

const test = suite('checkLogAgainstIndex, a batch object a crash between chunks left');

test('its lines moved to a segment are compactionLeftover, the ones still indexed in it are fine: the log is whole', async () => {
  const s = await localSubject();
  try {
    const [batch] = await interruptedCompaction(s, 2);
    assert.ok(isBatchObjectKey(batch!));
    const report = await checkLogAgainstIndex(s);
    assert.ok(report.whole, JSON.stringify(report.findings));
    assert.is(report.findings.compactionLeftover.count, 2);
    assert.is(report.findings.extraCopy.count, 0);
    assert.match(report.findings.compactionLeftover.examples[0]!, batch!);
  } finally {
    await s.cleanup!();
  }
});

test.run();
