// checkLog while a process appends: objects of appends made after the check copied its databases are in neither copy,
// so they are counted as appendedDuringCheck (harmless), not reported lost; what was there before keeps its strictness.

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { checkLog, type LogCheckReport } from '../../../adapters/local/log-check.ts';
import { eventId, serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { objectFiles } from '../../support/check-data-dir.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';
import { appendPastIndexer } from '../../support/stalled-indexer.ts';
import { tempDir } from '../../support/tmp.ts';

/** A small data dir: a dozen events appended, indexed and closed (the log and index alone: cheaper than the lake). */
async function smallDataDir(): Promise<string> {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  try {
    await log.append(generateEvents({ accounts: 2, days: 1, eventsPerDay: 12, start: Date.UTC(2024, 0, 1) / 1000, seed: 7 }));
    await new LocalIndexer({ log, index }).catchUp();
  } finally {
    index.close();
    await log.close();
  }
  return dir;
}

const smallCopy = fixtureCopies(smallDataDir);
const test = suite<{ dir: string }>('checkLog on a data dir appended to during the check');
test.before.each(async (ctx) => {
  ctx.dir = await smallCopy();
});

const examples = (report: LogCheckReport) => JSON.stringify(Object.fromEntries(Object.entries(report.findings).filter(([, f]) => f.count > 0)));

/** Append three events through the log (as serve would) once the check has copied its databases. */
const appendAfterCopies = (dir: string) => ({ afterCopies: async () => void (await appendPastIndexer(dir, 1)) });

test('events appended after the check copied its databases are counted as appended during the check, and the log is whole', async ({ dir }) => {
  const report = await checkLog(dir, appendAfterCopies(dir));
  assert.is(report.findings.appendedDuringCheck.count, 3, examples(report));
  assert.is(report.findings.unindexedLine.count, 0, examples(report));
  assert.is(report.findings.orphanObject.count, 0, examples(report));
  assert.ok(report.whole, examples(report));
});

test('an unindexed line written into an object before the check is still an unindexed line while appends go on', async ({ dir }) => {
  const batch = join(dir, objectFiles(dir, 'batch-')[0]!);
  const [first] = readFileSync(batch, 'utf8').split('\n');
  const stray = { ...(JSON.parse(first!) as DomainEvent), RequestId: '00000000-0000-4000-8000-0000000000ff' };
  appendFileSync(batch, `${serializeEvent(stray)}\n`);
  const report = await checkLog(dir, appendAfterCopies(dir));
  assert.is(report.findings.unindexedLine.count, 1, examples(report));
  assert.match(report.findings.unindexedLine.examples[0]!, eventId(stray));
  assert.is(report.findings.appendedDuringCheck.count, 3, examples(report));
  assert.not.ok(report.whole);
});

test('a batch object named past the journal end is no append of the check\'s time: it stays an orphan object', async ({ dir }) => {
  const batch = join(dir, objectFiles(dir, 'batch-')[0]!);
  const [first] = readFileSync(batch, 'utf8').split('\n');
  const stray = { ...(JSON.parse(first!) as DomainEvent), RequestId: '00000000-0000-4000-8000-0000000000fe' };
  const report = await checkLog(dir, {
    afterCopies: async () => {
      await appendPastIndexer(dir, 1);
      writeFileSync(batch.replace(/batch-\d+/, 'batch-9999999999999'), `${serializeEvent(stray)}\n`);
    },
  });
  assert.is(report.findings.orphanObject.count, 1, examples(report));
  assert.is(report.findings.unindexedLine.count, 1, examples(report));
  assert.is(report.findings.appendedDuringCheck.count, 3, examples(report));
});

test.run();
