// Small test files sharing a process (scripts/test-batches.mjs, scripts/test-batch.mjs): which files batch, and how a
// batch's output splits back into each file's own uvu totals.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BATCH_FILES, BATCH_SECONDS, SMALL_SECONDS, planBatches, splitBatchOutput } from '../../scripts/test-batches.mjs';
import { TS_CHILD_ARGS } from '../support/ts-child.ts';

const test = suite('test runner batches');
const root = fileURLToPath(new URL('../..', import.meta.url));

test('files under the small limit batch; longer files and files with no record run alone', () => {
  const { batches, alone } = planBatches(['a', 'b', 'long', 'new'], { a: 1, b: 2, long: SMALL_SECONDS });
  assert.equal(batches, [['a', 'b']]);
  assert.equal(alone, ['long', 'new']);
});

test('a batch closes before its recorded seconds would pass the batch limit', () => {
  const each = SMALL_SECONDS * 0.95; // small, and as long as a small file can be
  const fit = Math.floor(BATCH_SECONDS / each); // this many fit; one more would pass the limit
  assert.ok(fit >= 2 && fit < BATCH_FILES);
  const names = Array.from({ length: fit + 1 }, (_, i) => `f${i}`);
  const { batches } = planBatches(names, Object.fromEntries(names.map((n) => [n, each])));
  assert.equal(batches, [names.slice(0, fit), names.slice(fit)]);
});

test('a batch holds at most BATCH_FILES files, and every small file lands in exactly one batch', () => {
  const names = Array.from({ length: BATCH_FILES * 2 + 1 }, (_, i) => `f${String(i).padStart(2, '0')}`);
  const { batches } = planBatches(names, Object.fromEntries(names.map((n) => [n, 0.01])));
  assert.ok(batches.every((b) => b.length <= BATCH_FILES));
  assert.equal(batches.flat().sort(), names);
});

test('a start-up group starts a batch of its own, even with room left in the one before', () => {
  const group = (n: string) => (n.startsWith('infra') ? 'validator' : '');
  const { batches } = planBatches(['a', 'infra-app', 'infra-tables', 'b'], { a: 1, b: 1, 'infra-app': 1, 'infra-tables': 1 }, group);
  assert.equal(batches, [['a', 'b'], ['infra-app', 'infra-tables']]);
});

test('files of one start-up group batch next to each other; the rest keep name order', () => {
  const group = (n: string) => (n.startsWith('infra') || n === 'aws-alarm' ? 'validator' : '');
  const names = ['aws-alarm', 'aws-index', 'infra-app', 'infra-tables', 'infra-zeta', 'query', 'query-two', 'zeta'];
  const each = SMALL_SECONDS * 0.99; // small, and four to a batch
  assert.is(Math.floor(BATCH_SECONDS / each), 4);
  const durations = Object.fromEntries(names.map((n) => [n, each]));
  assert.equal(planBatches(names, durations, group).batches, [['aws-index', 'query', 'query-two', 'zeta'], ['aws-alarm', 'infra-app', 'infra-tables', 'infra-zeta']]);
  assert.equal(planBatches(names, durations).batches, [names.slice(0, 4), names.slice(4)]);
});

test('a batch output splits into each finished file\'s part and seconds; an unfinished file is left out', () => {
  const out = ['[batch] start a.ts', 'one', '[batch] end a.ts 1.5', '[batch] start b.ts', 'two'].join('\n');
  const parts = splitBatchOutput(out);
  assert.equal([...parts.keys()], ['a.ts']);
  assert.equal(parts.get('a.ts'), { out: 'one', seconds: 1.5 });
});

test('files run in one batch process each report their own uvu totals, a failing one beside a passing one', () => {
  const files = ['tests/scripts/fixtures/batch-fail.test.ts', 'tests/scripts/fixtures/batch-pass.test.ts'];
  const stdout = execFileSync(process.execPath, [...TS_CHILD_ARGS, 'scripts/test-batch.mjs', ...files], { cwd: root, encoding: 'utf8' });
  const parts = splitBatchOutput(stdout);
  assert.match(parts.get(files[0]!)!.out, /Total:\s+2[\s\S]*Passed:\s+1/);
  assert.match(parts.get(files[1]!)!.out, /Total:\s+2[\s\S]*Passed:\s+2/);
});

test.run();
