// The test runner's schedule (scripts/test-schedule.mjs): longest first from the recorded durations, new files in
// the middle, and a durations record that only ever holds measured seconds of files that exist.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { longestFirst, mergeDurations, readDurations, writeDurations } from '../../scripts/test-schedule.mjs';
import { tempDir } from '../support/tmp.ts';

const test = suite('test runner schedule');

test('jobs with recorded durations run longest first', () => {
  assert.equal(longestFirst(['a', 'b', 'c'], { a: 1, b: 30, c: 5 }), ['b', 'c', 'a']);
});

test('jobs of equal duration run in name order', () => {
  assert.equal(longestFirst(['z', 'y', 'x'], { x: 2, y: 2, z: 2 }), ['x', 'y', 'z']);
});

test('jobs with no record run in the middle, after the longer half of the known ones, in name order', () => {
  assert.equal(longestFirst(['new2', 'a', 'b', 'new1', 'c', 'd'], { a: 1, b: 2, c: 3, d: 4 }), ['d', 'c', 'new1', 'new2', 'b', 'a']);
});

test('with no records at all, every job runs, in name order', () => {
  assert.equal(longestFirst(['b', 'c', 'a'], {}), ['a', 'b', 'c']);
});

test('a record that is not a number counts as no record', () => {
  assert.equal(longestFirst(['a', 'b', 'c'], { a: 5, b: Number.NaN, c: 1 } as Record<string, number>), ['a', 'b', 'c']);
});

test('every job is scheduled exactly once, whatever the records', () => {
  const names = Array.from({ length: 40 }, (_, i) => `tests/f${i}.test.ts`);
  const durations = Object.fromEntries(names.filter((_, i) => i % 3 !== 0).map((n, i) => [n, (i * 7) % 11]));
  assert.equal([...longestFirst(names, durations)].sort(), [...names].sort());
});

test('a filtered run lays its measurements over the records and keeps the others', () => {
  assert.equal(mergeDurations({ a: 1, b: 2 }, { b: 3.04 }, undefined), { a: 1, b: 3 });
});

test('an unfiltered run drops the records of jobs that no longer exist', () => {
  assert.equal(mergeDurations({ gone: 9, a: 1 }, { a: 2 }, ['a']), { a: 2 });
});

test('the records are written in name order, to a tenth of a second, with no temporary file left', () => {
  const dir = tempDir();
  const file = join(dir, 'durations.json');
  writeDurations(file, mergeDurations({}, { b: 1.26, a: 0.04 }, undefined));
  assert.is(readFileSync(file, 'utf8'), '{\n "a": 0,\n "b": 1.3\n}\n');
  assert.equal(readdirSync(dir), ['durations.json']);
  assert.equal(readDurations(file), { a: 0, b: 1.3 });
});

test('a missing or unreadable durations file reads as no records', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'bad.json'), '{ not json');
  assert.equal(readDurations(join(dir, 'missing.json')), {});
  assert.equal(readDurations(join(dir, 'bad.json')), {});
});

test.run();
