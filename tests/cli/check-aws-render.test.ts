// renderAwsCheck: the verdict first, what was read, what was archived and not read, then each finding found.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderAwsCheck } from '../../cli/commands/check-aws-render.ts';
import { LOG_INDEX_FINDINGS, type LogIndexCheckReport, type LogIndexFindingKind } from '../../projections/log-index-check-report.ts';

const none = Object.fromEntries(Object.keys(LOG_INDEX_FINDINGS).map((k) => [k, { count: 0, examples: [], omitted: 0 }])) as unknown as Record<LogIndexFindingKind, { count: number; examples: string[]; omitted: number }>;
const report = (changes: Partial<LogIndexCheckReport>): LogIndexCheckReport => ({
  whole: true, checked: { objects: 2, events: 5, indexEntries: 6, restoredObjects: 1 }, archived: { objects: 0, events: 0 }, findings: none, ...changes,
});

const test = suite('renderAwsCheck');

test('a whole stack says so first, then what was read', () => {
  assert.equal(renderAwsCheck('s3://lake', report({})), ['s3://lake: whole', 'checked 2 objects (1 restored copy), 5 event lines, 6 index entries']);
});

test('archived objects not read are said, so "whole" does not claim their bytes', () => {
  const lines = renderAwsCheck('s3://lake', report({ archived: { objects: 3, events: 40 } }));
  assert.is(lines[2], 'archived, not read: 3 objects holding 40 indexed events (restore them to check their bytes; the check starts no restore)');
});

test('each finding found is listed with its examples and how many were left off; others are not', () => {
  const findings = { ...none, missingObject: { count: 3, examples: ['x → k: no such object'], omitted: 2 } };
  const lines = renderAwsCheck('s3://lake', report({ whole: false, findings }));
  assert.equal(lines.slice(0, 1), ['s3://lake: NOT whole']);
  assert.equal(lines.slice(2), [`missingObject: 3 — ${LOG_INDEX_FINDINGS.missingObject}`, '  x → k: no such object', '  … 2 more not shown (--limit)']);
});

test('examples show control characters of stored identities as escapes, not raw to the terminal', () => {
  const findings = { ...none, missingObject: { count: 1, examples: ['cash_deposit_r\u001b[2J\u202e → k: no such object'], omitted: 0 } };
  const lines = renderAwsCheck('s3://lake', report({ whole: false, findings }));
  assert.ok(lines.includes('  cash_deposit_r\\u001b[2J\\u202e → k: no such object'), lines.join('\n'));
});

test.run();
