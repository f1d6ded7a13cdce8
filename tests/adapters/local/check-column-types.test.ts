// checkLog names a stored event whose field holds a JSON type its events column cannot read (a string Currency, which
// DuckDB reads as a map): an older version stored it, it still replays, but every SQL query over its hour fails.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLog, type FindingKind, type LogCheckReport } from '../../../adapters/local/log-check.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { HOT_COMPACTED_HOUR, healthyDataDir } from '../../support/check-data-dir.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';

const healthyCopy = fixtureCopies(healthyDataDir);
const test = suite<{ dir: string }>('checkLog: a field of another type than its column');
test.before.each(async (ctx) => {
  ctx.dir = await healthyCopy();
});

const found = (report: LogCheckReport): Partial<Record<FindingKind, number>> =>
  Object.fromEntries(Object.entries(report.findings).filter(([, f]) => f.count > 0).map(([k, f]) => [k, f.count]));

const KEY = `${HOT_COMPACTED_HOUR}segment.ndjson`;

/** The hot segment's first line replaced by an event of its identity with `field`, padded to its length. */
function withField(dir: string, field: Record<string, unknown>): string {
  const path = join(dir, KEY);
  const text = readFileSync(path, 'utf8');
  const first = text.slice(0, text.indexOf('\n'));
  const { EventType, RequestId, EventTimeStamp } = JSON.parse(first) as DomainEvent;
  const line = JSON.stringify({ EventType, RequestId, EventTimeStamp, ...field });
  assert.ok(line.length <= first.length, 'the line fits');
  writeFileSync(path, line + ' '.repeat(first.length - line.length) + text.slice(first.length));
  return eventId({ EventType, RequestId } as DomainEvent);
}

test('a stored string Currency (a map column) is an unqueryable event naming the field and the column, and the log is not whole', async ({ dir }) => {
  const id = withField(dir, { Currency: 'EUR' });
  const report = await checkLog(dir);
  assert.equal(found(report), { unqueryableEvent: 1 });
  assert.not.ok(report.whole);
  const [example] = report.findings.unqueryableEvent.examples;
  assert.match(example!, `${id} at ${KEY}@0+`);
  assert.match(example!, '/Currency is a string, but SQL reads Currency as the built-in column Currency');
});

test('a stored map Currency, as its column reads it, is no finding', async ({ dir }) => {
  withField(dir, { Currency: { '100': 1 } });
  assert.equal(found(await checkLog(dir)), {});
});

test.run();
