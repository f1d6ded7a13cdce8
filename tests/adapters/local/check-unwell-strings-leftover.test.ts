// A compaction leftover whose copy holds an event today's input checks would refuse stays a harmless leftover in both
// checks; the event is named once, at the segment line its index entry names.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { eventDigest } from '../../../projections/event-digest.ts';
import { checkLogAgainstIndex } from '../../../projections/log-index-check.ts';
import { withDb } from '../../support/check-data-dir.ts';
import { EVENTS, interruptedCompaction, SEGMENT } from '../../support/interrupted-compaction-data-dir.ts';
import { tempDir } from '../../support/tmp.ts';
import { lineWithLoneSurrogate } from '../../support/unwell-lines.ts';

const test = suite<{ dir: string }>('checks: a leftover holding an unqueryable event');
test.before.each(async (ctx) => {
  ctx.dir = tempDir();
  const [original] = await interruptedCompaction(ctx.dir);
  // The same damage in the original and in the segment: the leftover's copy is still its segment line byte for byte.
  const line = readFileSync(join(ctx.dir, original!), 'utf8').split('\n')[0]!;
  for (const key of [original!, SEGMENT]) {
    const path = join(ctx.dir, key);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes(line), `${key} holds the line`);
    writeFileSync(path, text.replace(line, lineWithLoneSurrogate(line)));
  }
  // The digest an older version recorded for that event when it stored it (the port-level check compares copies by it).
  const stored = JSON.parse(lineWithLoneSurrogate(line)) as DomainEvent;
  withDb(join(ctx.dir, 'index.db'), (db) => db.prepare('UPDATE events SET digest = ? WHERE id = ?').run(eventDigest(stored), eventId(stored)));
});

const counts = (findings: Record<string, { count: number }>) => Object.fromEntries(Object.entries(findings).filter(([, f]) => f.count > 0).map(([k, f]) => [k, f.count]));

test('the local check names the event once, at the segment, and the originals stay compaction leftovers', async ({ dir }) => {
  const report = await checkLog(dir);
  assert.equal(counts(report.findings), { compactionLeftover: EVENTS.length, unqueryableEvent: 1 });
  assert.match(report.findings.unqueryableEvent.examples[0]!, ` at ${SEGMENT}@`);
  assert.not.ok(report.whole);
});

test('the port-level check names the event once, at the segment, and the originals stay compaction leftovers', async ({ dir }) => {
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    const report = await checkLogAgainstIndex({ log: local.log, index: local.index, archive: local.archive });
    assert.equal(counts(report.findings), { compactionLeftover: EVENTS.length, unqueryableEvent: 1 });
    assert.match(report.findings.unqueryableEvent.examples[0]!, ` at ${SEGMENT}@`);
  } finally {
    await local.close();
  }
});

test.run();
