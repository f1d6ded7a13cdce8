// What `archive run` says above its table: compacted counts, hours left hot, and segments left to the bucket's rules.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runSummary } from '../../cli/commands/archive.ts';
import type { ClassTotals, LifecycleReport } from '../../projections/lifecycle.ts';

const none: ClassTotals = { objects: 0, events: 0, bytes: 0 };
const classes = { STANDARD: none, GLACIER: none, DEEP_ARCHIVE: none };
const report = (extra: Partial<LifecycleReport> = {}): LifecycleReport => ({
  hoursCompacted: 3, eventsCompacted: 40, hotHoursCompacted: 0, hoursUndispatched: 0, transitionsLeftToTier: 0, transitioned: classes, classes, ...extra,
});

const test = suite('archive run summary');

test('segments a target archives by itself are said to be left to the bucket\'s lifecycle rules', () => {
  const lines = runSummary(report({ transitionsLeftToTier: 2 }));
  assert.equal(lines[0], 'compacted 40 event(s) in 3 hour(s)');
  assert.ok(lines.some((l) => l.startsWith('left 2 segment(s) to the bucket\'s lifecycle rules')), lines.join('\n'));
});

test('a target that moved every segment itself gets no such line', () => {
  assert.equal(runSummary(report()), ['compacted 40 event(s) in 3 hour(s)']);
});

test.run();
