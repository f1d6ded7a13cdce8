// The port-level check (`eventlake check --target aws`) names stored events today's input checks would refuse too:
// from the index walk for a line an entry names, from the log walk for one no entry names, each once.

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { checkLogAgainstIndex, type LogIndexCheckReport } from '../../../projections/log-index-check.ts';
import { HOT_COMPACTED_HOUR, healthyDataDir } from '../../support/check-data-dir.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';
import { lineWithLoneSurrogate } from '../../support/unwell-lines.ts';

const healthyCopy = fixtureCopies(healthyDataDir);
const test = suite<{ dir: string }>('checkLogAgainstIndex: events input checks would refuse today');
test.before.each(async (ctx) => {
  ctx.dir = await healthyCopy();
});

const KEY = `${HOT_COMPACTED_HOUR}segment.ndjson`;

async function check(dir: string): Promise<LogIndexCheckReport> {
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    return await checkLogAgainstIndex({ log: local.log, index: local.index, archive: local.archive });
  } finally {
    await local.close();
  }
}

function found(report: LogIndexCheckReport): Record<string, number> {
  return Object.fromEntries(Object.entries(report.findings).filter(([, f]) => f.count > 0).map(([k, f]) => [k, f.count]));
}

const firstLine = (text: string) => text.slice(0, text.indexOf('\n'));

test('an indexed stored event with a lone surrogate is one unqueryable event, and the log is not whole', async ({ dir }) => {
  const path = join(dir, KEY);
  const text = readFileSync(path, 'utf8');
  const first = firstLine(text);
  writeFileSync(path, lineWithLoneSurrogate(first) + text.slice(first.length));
  const report = await check(dir);
  assert.equal(found(report), { unqueryableEvent: 1 });
  assert.not.ok(report.whole);
  const id = eventId(JSON.parse(first) as DomainEvent);
  assert.match(report.findings.unqueryableEvent.examples[0]!, `${id} at ${KEY}@0+${Buffer.byteLength(first)}: /`);
  assert.match(report.findings.unqueryableEvent.examples[0]!, 'lone UTF-16 surrogate');
});

test('an unindexed stored line with a lone surrogate is named by the log walk, beside its unindexed event', async ({ dir }) => {
  const path = join(dir, KEY);
  const event = JSON.parse(firstLine(readFileSync(path, 'utf8'))) as DomainEvent;
  const other = { ...event, RequestId: '00000000-0000-4000-8000-00000000beef' };
  appendFileSync(path, lineWithLoneSurrogate(JSON.stringify(other)) + '\n');
  const report = await check(dir);
  assert.equal(found(report), { unindexedEvent: 1, unqueryableEvent: 1 });
  assert.match(report.findings.unqueryableEvent.examples[0]!, `${eventId(other)} at ${KEY}@`);
});

test.run();
