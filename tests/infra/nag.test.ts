// cdk-nag AwsSolutions: no unacknowledged finding, and every acknowledgement is scoped and carries a written reason.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import { acknowledgementsUnder, nagReport } from '../../infra/nag.ts';
import type { EventLakeProps } from '../../infra/props.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const code = Code.fromInline('export const handler = async () => {};');
function checked(lake: EventLakeProps = {}) {
  const stack = new EventLakeStack(new App(), 'Test', { lake: { code, ...lake } });
  Template.fromStack(stack);
  return { stack, report: nagReport(stack) };
}
const summary = (r: ReturnType<typeof nagReport>) => r.violations.map((v) => `${v.ruleName} (${v.severity}) at ${v.violatingResources.map((x) => x.constructPath).join(', ')}`);

const { stack, report } = checked();
const acks = acknowledgementsUnder(stack);
const test = suite('EventLake cdk-nag');

test('the default lake has no unacknowledged AwsSolutions error or warning', () => {
  assert.equal(summary(report), []);
  assert.is(report.success, true);
});

test('a lake with Object Lock, other projections and prefix has none either', () => {
  const other = checked({ prefix: 'ledger', projections: ['balances'], objectLock: { mode: 'GOVERNANCE', retentionDays: 30 }, archiveSmallObjects: true });
  assert.equal(summary(other.report), []);
});

test('the check does report findings: a bucket without TLS or access logs fails it', () => {
  const plain = new Stack(new App(), 'Plain');
  new Bucket(plain, 'Open');
  const rules = nagReport(plain).violations.map((v) => v.ruleName);
  assert.ok(rules.includes('AwsSolutions-S10') && rules.includes('AwsSolutions-S1'), rules.join(', '));
});

test('every acknowledgement carries a written reason', () => {
  assert.ok(acks.length > 0);
  for (const a of acks) assert.ok(a.reason.length >= 60 && /\s/.test(a.reason), `${a.id} at ${a.path}: "${a.reason}"`);
});

test('acknowledgements sit on the function roles and dead-letter queues, never on the stack', () => {
  const where = new Set(acks.map((a) => a.path.replace(/^Test\/Lake\//, '')));
  assert.equal([...where].sort(), [
    'CompactionRole', 'IndexerDeadLetters', 'IndexerRole', 'Projector-balancesRole', 'Projector-statementRole', 'ProjectorDeadLetters-balances',
    'ProjectorDeadLetters-statement', 'RebuildRole',
  ]);
});

test('only IAM5 wildcard findings and SQS3 (a DLQ has no DLQ) are acknowledged', () => {
  const rules = new Set(acks.map((a) => a.id.replace(/\[.*$/, '')));
  assert.equal([...rules].sort(), ['AwsSolutions-IAM5', 'AwsSolutions-SQS3']);
});

test('wildcard resources are acknowledged one by one, never as a blanket IAM5', () => {
  const iam5 = acks.filter((a) => a.id.includes('AwsSolutions-IAM5'));
  for (const a of iam5) assert.match(a.id, /AwsSolutions-IAM5\[(Action|Resource)::.+\]$/);
  const rebuildResources = iam5.filter((a) => a.path.endsWith('RebuildRole') && a.id.includes('Resource::')).map((a) => a.id);
  assert.ok(rebuildResources.some((r) => r.includes('table/eventlake-balances-g*')), rebuildResources.join('\n'));
});

test.run();
