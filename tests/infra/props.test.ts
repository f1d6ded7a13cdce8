// EventLake props AWS would refuse at deploy time are refused at synthesis, naming the prop.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App, Stack } from 'aws-cdk-lib';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { EventLake } from '../../infra/event-lake.ts';
import { checkProps, type EventLakeProps } from '../../infra/props.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const refused = (props: EventLakeProps, argument: string) =>
  assert.throws(() => checkProps(props), (e: unknown) => e instanceof InvalidArgumentError && e.argument === argument);
const test = suite('EventLake props');

test('an alarm topic must be an SNS topic ARN', () => {
  refused({ alarmTopicArn: 'arn:aws:sns:eu-west-1:111122223333' }, 'alarmTopicArn');
  checkProps({ alarmTopicArn: 'arn:aws-us-gov:sns:us-gov-west-1:111122223333:alarms' });
});

test('the defaults pass', () => {
  checkProps({});
});

test('a prefix must be lower case letters, digits and dashes, starting with a letter', () => {
  refused({ prefix: 'Bank' }, 'prefix');
  refused({ prefix: '1bank' }, 'prefix');
  refused({ prefix: 'bank_lake' }, 'prefix');
  checkProps({ prefix: 'bank-lake-2' });
});

test('projection names must be identifiers', () => {
  refused({ projections: ['balances', 'Bad Name'] }, 'projections');
});

test('Object Lock needs a whole number of days', () => {
  refused({ objectLock: { mode: 'COMPLIANCE', retentionDays: 0 } }, 'objectLock.retentionDays');
  refused({ objectLock: { mode: 'GOVERNANCE', retentionDays: 1.5 } }, 'objectLock.retentionDays');
});

test('retries, Athena cutoff and archive retention stay within AWS limits', () => {
  refused({ retryAttempts: 186 }, 'retryAttempts');
  refused({ bytesScannedCutoffPerQuery: 1_000_000 }, 'bytesScannedCutoffPerQuery');
  refused({ busArchiveRetentionDays: -1 }, 'busArchiveRetentionDays');
});

test('the construct checks its props before creating anything', () => {
  const stack = new Stack(new App(), 'S');
  assert.throws(() => new EventLake(stack, 'Lake', { prefix: 'NO' }), (e: unknown) => e instanceof InvalidArgumentError);
  assert.is(stack.node.findAll().length, 2);
});

test.run();
