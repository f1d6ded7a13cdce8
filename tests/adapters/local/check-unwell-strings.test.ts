// checkLog names stored events today's input checks would refuse (a lone surrogate, nesting over 64 levels), which an
// older version stored: they still replay, but SQL over their hour fails, so the log is not whole.

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLog, FINDINGS, HARMLESS_FINDINGS, type FindingKind, type LogCheckReport } from '../../../adapters/local/log-check.ts';
import { renderCheck } from '../../../cli/commands/check-render.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { HOT_COMPACTED_HOUR, healthyDataDir } from '../../support/check-data-dir.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';
import { lineWithLoneSurrogate, lineNestedTooDeep } from '../../support/unwell-lines.ts';
import { runCli } from '../../security/cli-run.ts';

const healthyCopy = fixtureCopies(healthyDataDir);
const test = suite<{ dir: string }>('checkLog: events input checks would refuse today');
test.before.each(async (ctx) => {
  ctx.dir = await healthyCopy();
});

function found(report: LogCheckReport): Partial<Record<FindingKind, number>> {
  return Object.fromEntries(Object.entries(report.findings).filter(([, f]) => f.count > 0).map(([k, f]) => [k, f.count]));
}

const KEY = `${HOT_COMPACTED_HOUR}segment.ndjson`;

/** Replace the hot segment's first line by `rewrite`'s line of the same length; its id and where it is. */
function damageFirstLine(dir: string, rewrite: (line: string) => string): { id: string; place: string } {
  const path = join(dir, KEY);
  const text = readFileSync(path, 'utf8');
  const first = text.slice(0, text.indexOf('\n'));
  const line = rewrite(first);
  assert.is(Buffer.byteLength(line), Buffer.byteLength(first), 'the damage keeps the line length, so the index still names it');
  writeFileSync(path, line + text.slice(first.length));
  return { id: eventId(JSON.parse(first) as DomainEvent), place: `${KEY}@0+${Buffer.byteLength(first)}` };
}

test('a stored event with a lone surrogate in an account field is an unqueryable event, and the log is not whole', async ({ dir }) => {
  const { id, place } = damageFirstLine(dir, lineWithLoneSurrogate);
  const report = await checkLog(dir);
  assert.equal(found(report), { unqueryableEvent: 1 });
  assert.not.ok(report.whole);
  const [example] = report.findings.unqueryableEvent.examples;
  assert.match(example!, `${id} at ${place}: /`);
  assert.match(example!, /Account is not well-formed Unicode text \(it holds a lone UTF-16 surrogate/);
});

test('a stored event nesting over 64 levels is an unqueryable event naming the first level too deep', async ({ dir }) => {
  const { id, place } = damageFirstLine(dir, lineNestedTooDeep);
  const report = await checkLog(dir);
  assert.equal(found(report), { unqueryableEvent: 1 });
  assert.match(report.findings.unqueryableEvent.examples[0]!, `${id} at ${place}: /Deep/0/0/`);
  assert.match(report.findings.unqueryableEvent.examples[0]!, 'nests deeper than 64 levels');
});

test('the finding is not harmless and says what it means: SQL over the hour fails, replay still reads it', () => {
  assert.not.ok(HARMLESS_FINDINGS.has('unqueryableEvent'));
  assert.match(FINDINGS.unqueryableEvent, 'SQL over their hour fails');
  assert.match(FINDINGS.unqueryableEvent, 'rebuild');
});

test("check's text report shows the category with its meaning and the example, escaped to print", async ({ dir }) => {
  damageFirstLine(dir, lineWithLoneSurrogate);
  const lines = renderCheck(await checkLog(dir));
  const at = lines.findIndex((l) => l.startsWith('unqueryableEvent: 1 — '));
  assert.ok(at > 0, lines.join('\n'));
  assert.is(lines[at], `unqueryableEvent: 1 — ${FINDINGS.unqueryableEvent}`);
  assert.match(lines[at + 1]!, '\\udc00');
  assert.not.match(lines.join('\n'), /[\uD800-\uDFFF]/);
});

test("check's text report prints a stored identity's control characters as escapes, not for the terminal to obey", async ({ dir }) => {
  const path = join(dir, KEY);
  const event = JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!) as DomainEvent;
  appendFileSync(path, `${JSON.stringify({ ...event, RequestId: 'r\u001b[2J\u202e\u009b' })}\n`);
  const lines = renderCheck(await checkLog(dir));
  assert.ok(lines.some((l) => l.includes('r\\u001b[2J\\u202e\\u009b')), lines.join('\n'));
  assert.not.match(lines.join('\n'), /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
});

test('`eventlake check --json` carries the category, and the exit code says the log is not whole', async ({ dir }) => {
  const { id } = damageFirstLine(dir, lineWithLoneSurrogate);
  const r = await runCli(['--data-dir', dir, 'check', '--json']);
  assert.is(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as LogCheckReport;
  assert.is(report.findings.unqueryableEvent.count, 1);
  assert.match(report.findings.unqueryableEvent.examples[0]!, id);
});

test.run();
