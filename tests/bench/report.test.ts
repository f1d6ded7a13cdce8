// Smoke test of the benchmark: a tiny run produces every figure with numeric values and ratios (no timing asserts).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBench } from '../../bench/suite.ts';
import { table } from '../../bench/report.ts';
import { median } from '../../bench/figure.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('bench report');
const out = tempDir();
const run = runBench({ events: 6_000, quick: true, out });
const EXPECTED = ['append_batched_100', 'append_batched_1000', 'append_single', 'request_ids', 'concurrent_emit', 'replay', 'since_compacted', 'since_not_compacted', 'dispatch', 'rebuild'];

test('a tiny run reports every figure once, in order', async () => {
  assert.equal((await run).figures.map((f) => f.id), EXPECTED);
});

test('every figure has a positive numeric value, a target and a pass verdict or null', async () => {
  for (const f of (await run).figures) {
    assert.ok(Number.isFinite(f.value) && f.value > 0, `${f.id} value ${f.value}`);
    assert.type(f.unit, 'string');
    assert.type(f.target, 'string');
    assert.ok(f.pass === null || typeof f.pass === 'boolean', f.id);
  }
});

test('figures with a raw limit carry it and a numeric ratio; the others carry neither', async () => {
  for (const f of (await run).figures) {
    if (f.raw === null) assert.is(f.ratio, null, f.id);
    else {
      assert.ok(Number.isFinite(f.raw.value) && f.raw.value > 0, `${f.id} raw ${f.raw.value}`);
      assert.ok(typeof f.ratio === 'number' && Number.isFinite(f.ratio), `${f.id} ratio ${f.ratio}`);
      assert.ok(f.raw.what.length > 0, f.id);
    }
  }
});

test('append and replay figures report the median of their rounds, each ratio between the rounds\' extremes', async () => {
  const paired = (await run).figures.filter((f) => f.id.startsWith('append_') || f.id === 'replay');
  assert.equal(paired.length, 4);
  for (const f of paired) {
    const { rounds, ratioMin, ratioMax } = f.details as Record<string, number>;
    assert.is(rounds, 3, f.id);
    assert.ok(ratioMin! <= f.ratio! && f.ratio! <= ratioMax!, `${f.id}: ${ratioMin} <= ${f.ratio} <= ${ratioMax}`);
  }
});

test('append and replay figures report their ceiling (the raw limit plus only validation and (de)serialization) and say what it is', async () => {
  for (const f of (await run).figures.filter((x) => x.id.startsWith('append_') || x.id === 'replay')) {
    const { ceilingEventsPerSecond, ceilingRatio } = f.details as Record<string, number>;
    assert.ok(Number.isFinite(ceilingEventsPerSecond) && ceilingEventsPerSecond! > 0, f.id);
    assert.ok(Number.isFinite(ceilingRatio) && ceilingRatio! > 0, f.id);
    assert.ok(f.conditions.notes.some((n) => n.startsWith('ceiling = ')), `${f.id} explains its ceiling`);
  }
});

test('median is the middle value, the lower middle of an even count, and 0 for none', () => {
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 2);
  assert.is(median([]), 0);
});

test('every figure states its conditions', async () => {
  for (const f of (await run).figures) {
    const c = f.conditions;
    for (const n of [c.events, c.eventBytes, c.cores]) assert.ok(Number.isInteger(n) && n > 0, `${f.id} ${JSON.stringify(c)}`);
    assert.ok(c.batchSize === null || Number.isInteger(c.batchSize), f.id);
    assert.match(c.node, /^v\d+/);
    assert.ok(['warm', 'cold'].includes(c.cache), f.id);
    assert.type(c.fsync, 'string');
    assert.ok(c.notes.some((n) => n.includes('--quick')), `${f.id} says it is a quick run`);
  }
});

test('a quick run writes latest-quick.json and a dated copy holding the same report', async () => {
  const report = await run;
  const [latest, dated] = report.paths as [string, string];
  assert.ok(existsSync(latest) && existsSync(dated) && latest !== dated);
  assert.ok(latest.endsWith('latest-quick.json') && !existsSync(join(out, 'latest.json')));
  assert.equal(JSON.parse(readFileSync(latest, 'utf8')), JSON.parse(readFileSync(dated, 'utf8')));
  assert.is(JSON.parse(readFileSync(latest, 'utf8')).options.events, 6_000);
});

test('latest-quick.md names the command and holds the table', async () => {
  const report = await run;
  const md = readFileSync(join(out, 'latest-quick.md'), 'utf8');
  assert.ok(md.includes(report.command));
  assert.ok(md.includes(table(report.figures)));
});

test('the table has a header, a separator and one row per figure', async () => {
  const lines = table((await run).figures).split('\n');
  assert.is(lines.length, EXPECTED.length + 2);
  assert.ok(lines.every((l) => l.startsWith('| ') && l.endsWith(' |')));
});

test.run();
