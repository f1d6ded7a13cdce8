// renderAwsCheck of compaction leftovers: listed with their fix and marked harmless (they leave the stack whole).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderAwsCheck } from '../../cli/commands/check-aws-render.ts';
import { LOG_INDEX_FINDINGS, LogIndexFindings, type LogIndexCheckReport } from '../../projections/log-index-check-report.ts';

const none = new LogIndexFindings(0).summary();
const example = 'events/year=2024/month=03/day=07/hour=09/batch-0000000000007.ndjson: 4 of its 4 events already in events/year=2024/month=03/day=07/hour=09/segment.ndjson, byte for byte';
const report: LogIndexCheckReport = {
  whole: true, checked: { objects: 2, events: 8, indexEntries: 4, restoredObjects: 0 }, archived: { objects: 0, events: 0 },
  findings: { ...none, compactionLeftover: { count: 4, examples: [example], omitted: 0 } },
};

const test = suite('renderAwsCheck, compaction leftovers');

test('compaction leftovers are marked harmless and say which run removes them, with the leftover object as example', () => {
  const lines = renderAwsCheck('s3://lake', report).slice(2);
  assert.equal(lines, [`compactionLeftover: 4 (harmless) — ${LOG_INDEX_FINDINGS.compactionLeftover}`, `  ${example}`]);
  assert.match(lines[0]!, 'eventlake archive run');
  assert.match(lines[0]!, 'scheduled compaction');
});

test('a finding that makes the stack not whole is not marked harmless', () => {
  const lines = renderAwsCheck('s3://lake', { ...report, whole: false, findings: { ...none, extraCopy: { count: 1, examples: [], omitted: 0 } } });
  assert.is(lines[2], `extraCopy: 1 — ${LOG_INDEX_FINDINGS.extraCopy}`);
});

test.run();
