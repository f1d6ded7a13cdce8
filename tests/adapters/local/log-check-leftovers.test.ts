// checkLog (the local `eventlake check`) after a compaction stopped between relocating and removing: the originals it
// left are compactionLeftover, harmless, and the data dir stays whole, by the port-level check's rule
// (projections/log-index-check-leftover-rule.ts); a copy that is not exactly such a leftover stays an extraCopy.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLog, type FindingKind, type LogCheckReport } from '../../../adapters/local/log-check.ts';
import { partitionPrefix, serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import { compactAgain, emitted, EMITS, EVENTS, interruptedCompaction as interrupted, PREFIX, SEGMENT } from '../../support/interrupted-compaction-data-dir.ts';
import { tempDir } from '../../support/tmp.ts';

/** The categories with a non-zero count. */
function found(report: LogCheckReport): Partial<Record<FindingKind, number>> {
  return Object.fromEntries(Object.entries(report.findings).filter(([, f]) => f.count > 0).map(([k, f]) => [k, f.count]));
}

/** `event` serialized with its fields in reverse order: the same event, other bytes. */
const reordered = (event: DomainEvent): string => JSON.stringify(Object.fromEntries(Object.entries(event).reverse()));

const test = suite<{ dir: string }>('checkLog, compaction leftovers');
test.before.each((ctx) => {
  ctx.dir = tempDir();
});

test('originals a compaction relocated but did not remove are compactionLeftover, not extraCopy or orphanObject, and the data dir is whole', async ({ dir }) => {
  const originals = await interrupted(dir);
  assert.is(originals.length, EMITS.length);
  const report = await checkLog(dir);
  assert.ok(report.whole, JSON.stringify(found(report)));
  assert.equal(found(report), { compactionLeftover: EVENTS.length });
  const examples = report.findings.compactionLeftover.examples;
  assert.is(examples.length, originals.length);
  originals.forEach((key, i) => assert.is(examples[i], `${key}: ${EMITS[i]!.length} of its ${EMITS[i]!.length} events already in ${SEGMENT}, byte for byte`));
});

test('the next compaction run removes the leftovers, and the check then finds nothing', async ({ dir }) => {
  await interrupted(dir);
  await compactAgain(dir);
  const report = await checkLog(dir);
  assert.ok(report.whole);
  assert.equal(found(report), {});
});

test("an original whose line is not byte for byte its segment's line stays an orphan object of extra copies, and the data dir is not whole", async ({ dir }) => {
  const [first] = await interrupted(dir);
  const lines = EMITS[0]!.map((e, i) => (i === 0 ? reordered(e) : serializeEvent(e)));
  writeFileSync(join(dir, first!), `${lines.join('\n')}\n`);
  const report = await checkLog(dir);
  assert.not.ok(report.whole);
  assert.equal(found(report), { extraCopy: EMITS[0]!.length, orphanObject: 1, compactionLeftover: EMITS[1]!.length });
  assert.match(report.findings.orphanObject.examples[0]!, first!);
});

test("a copy in another hour's batch object stays an extraCopy (and a misplaced line): compaction of an hour removes only that hour's objects", async ({ dir }) => {
  await interrupted(dir);
  await compactAgain(dir);
  const otherHour = join(dir, partitionPrefix(EVENTS[0]!.EventTimeStamp + 3600));
  mkdirSync(otherHour, { recursive: true });
  writeFileSync(join(otherHour, 'batch-0000000000099.ndjson'), `${serializeEvent(EVENTS[0]!)}\n`);
  const report = await checkLog(dir);
  assert.not.ok(report.whole);
  assert.equal(found(report), { misplacedLine: 1, extraCopy: 1, orphanObject: 1 });
});

test('a copy in a segment stays an extraCopy: compaction removes batch and one-event objects only', async ({ dir }) => {
  await interrupted(dir);
  await compactAgain(dir);
  writeFileSync(join(dir, `${PREFIX}segment-9.ndjson`), readFileSync(join(dir, SEGMENT)));
  const report = await checkLog(dir);
  assert.not.ok(report.whole);
  assert.equal(found(report), { extraCopy: EVENTS.length, orphanObject: 1 });
});

test('a batch object copying events still indexed in batch objects, not a segment, stays an orphan object of extra copies', async ({ dir }) => {
  await emitted(dir);
  writeFileSync(join(dir, `${PREFIX}batch-0000000000099.ndjson`), `${serializeEvent(EVENTS[0]!)}\n`);
  const report = await checkLog(dir);
  assert.not.ok(report.whole);
  assert.equal(found(report), { extraCopy: 1, orphanObject: 1 });
});

test.run();
