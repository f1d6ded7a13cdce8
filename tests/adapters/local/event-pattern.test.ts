// EventBridge pattern semantics, checked against the examples of AWS's documentation: "Content filtering in Amazon
// EventBridge event patterns", "Comparison operators for use in event patterns", "Arrays in … event patterns",
// "Matching null values and empty strings", and the README of aws/event-ruler (the library behind EventBridge).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toBusEntry } from '../../../domain/bus.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { EventPattern } from '../../../domain/ports/dispatcher.ts';
import { compilePattern, matchesPattern } from '../../../adapters/local/event-pattern.ts';
import { SAMPLES } from '../../support/samples.ts';

const test = suite('event patterns (EventBridge semantics)');

// The sample event of the event-ruler README and AWS's content-filtering page.
const EC2 = {
  version: '0', id: 'ddddd4-aaaa-7777-4444-345dd43cc333', 'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2', account: '012345679012', time: '2017-10-02T16:24:49Z', region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', 'instance-id': 'i-000000aaaaaa00000', state: 'running' },
};
const withDetail = (detail: Record<string, unknown>) => ({ ...EC2, detail: { ...EC2.detail, ...detail } });
const yes = (pattern: EventPattern, event: unknown = EC2) => assert.ok(matchesPattern(pattern, event), `expected a match: ${JSON.stringify(pattern)}`);
const no = (pattern: EventPattern, event: unknown = EC2) => assert.not.ok(matchesPattern(pattern, event), `expected no match: ${JSON.stringify(pattern)}`);

test('AWS "Simple matching": a field matches when its value is one of the array values', () => {
  yes({ 'detail-type': ['EC2 Instance State-change Notification'], resources: EC2.resources, detail: { state: ['initializing', 'running'] } });
  no({ detail: { state: ['initializing', 'stopped'] } });
});

test('AWS "Arrays in event patterns": an array in the event matches when it intersects the pattern array', () => {
  const event = { ...EC2, resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] };
  yes({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] }, event);
  no({ resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] }, event);
});

test('fields at one level are AND: one failing field fails the pattern', () => {
  no({ source: ['aws.ec2'], 'detail-type': ['Something Else'] });
});

test('AWS "Prefix matching": "time" starting with "2017-10-02"', () => {
  yes({ time: [{ prefix: '2017-10-02' }] });
  no({ time: [{ prefix: '2017-10-03' }] });
});

test('AWS "Prefix matching while ignoring case": {"prefix": {"equals-ignore-case": "EventB"}}', () => {
  const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
  for (const service of ['EventBridge', 'EVENTBRIDGE', 'eventbus']) yes(pattern, withDetail({ service }));
  no(pattern, withDetail({ service: 'SQS' }));
});

test('AWS "Suffix matching": FileName ending in ".png", and ignoring case', () => {
  yes({ detail: { FileName: [{ suffix: '.png' }] } }, withDetail({ FileName: 'cat.png' }));
  no({ detail: { FileName: [{ suffix: '.png' }] } }, withDetail({ FileName: 'cat.PNG' }));
  yes({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, withDetail({ FileName: 'cat.PNG' }));
});

test('AWS "Equals (ignore case)": Name [{"equals-ignore-case": "alice"}] matches "Alice"', () => {
  yes({ detail: { Name: [{ 'equals-ignore-case': 'alice' }] } }, withDetail({ Name: 'Alice' }));
  no({ detail: { Name: [{ 'equals-ignore-case': 'alice' }] } }, withDetail({ Name: 'Alicia' }));
});

test('AWS "Anything-but matching" with a string and with a number', () => {
  yes({ detail: { state: [{ 'anything-but': 'initializing' }] } });
  no({ detail: { state: [{ 'anything-but': 'running' }] } });
  yes({ detail: { 'x-limit': [{ 'anything-but': 123 }] } });
  no({ detail: { 'x-limit': [{ 'anything-but': 301.8 }] } });
});

test('AWS "Anything-but matching" with a list of strings and a list of numbers', () => {
  yes({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } });
  no({ detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } });
  yes({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } });
  no({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, withDetail({ 'x-limit': 200 }));
});

test('AWS "Anything-but (begins with)": state without the prefix "init"', () => {
  yes({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } });
  no({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, withDetail({ state: 'initializing' }));
});

test('AWS "Anything-but (ends with)", "(ignore case)" and "using a wildcard"', () => {
  no({ detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }, withDetail({ FileName: 'a.png' }));
  no({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'RUNNING' } }] } });
  yes({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['stopped', 'PENDING'] } }] } });
  no({ detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, withDetail({ FilePath: '/usr/lib/x.so' }));
  yes({ detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, withDetail({ FilePath: '/usr/bin/x' }));
});

test('anything-but needs the field to be present (only exists:false matches an absent field)', () => {
  no({ detail: { missing: [{ 'anything-but': 'x' }] } });
});

test('AWS "Numeric matching": c-count > 0 and <= 5, d-count < 10, x-limit = 3.018e2', () => {
  yes({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } });
  no({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, withDetail({ 'c-count': 6 }));
  no({ detail: { 'c-count': [{ numeric: ['>', 0] }] } }, withDetail({ 'c-count': '5' }));
});

test('AWS "IP address matching": source-ip within 10.0.0.0/24', () => {
  yes({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } });
  no({ detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } });
});

test('AWS "Exists matching": exists true needs the leaf, exists false matches its absence', () => {
  yes({ detail: { state: [{ exists: true }] } });
  no({ detail: { 'c-count': [{ exists: false }] } });
  yes({ detail: { 'c-count': [{ exists: false }] } }, { ...EC2, detail: { state: 'pending' } });
});

test('AWS "Exists matching only works on leaf nodes": an object value counts as absent', () => {
  const event = { ...EC2, detail: { state: 'pending', 'c-count': { c1: 100 } } };
  yes({ detail: { 'c-count': [{ exists: false }] } }, event);
  no({ detail: { 'c-count': [{ exists: true }] } }, event);
});

test('AWS "Matching null values and empty strings": [""] and [null] are not interchangeable', () => {
  const event = { ...EC2, detail: { eventVersion: '', responseElements: null } };
  yes({ detail: { eventVersion: [''] } }, event);
  yes({ detail: { responseElements: [null] } }, event);
  no({ detail: { eventVersion: [null] } }, event);
  no({ detail: { responseElements: [''] } }, event);
});

test('AWS "Complex example with multiple matching" (event-ruler README, with cidr)', () => {
  yes({
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }], 'source-ip': [{ cidr: '10.0.0.0/8' }],
    },
  });
});

test('event-ruler "$or": source && (metricName || namespace)', () => {
  const pattern = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] };
  yes(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' });
  yes(pattern, { source: 'aws.cloudwatch', metricName: 'ReadLatency' });
  no(pattern, { source: 'aws.cloudwatch', metricName: 'Other' });
  no(pattern, { source: 'aws.ec2', metricName: 'ReadLatency' });
});

test('event-ruler nested "$or" with an "And" inside, at the root and under detail', () => {
  const pattern = {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }],
    detail: { $or: [{ state: ['ALARM'] }, { reason: [{ exists: true }] }] },
  };
  yes(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000, detail: { state: 'ALARM' } });
  no(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1, detail: { state: 'ALARM' } });
  no(pattern, { source: 'aws.cloudwatch', metricName: 'CPUUtilization', detail: { state: 'OK' } });
});

test('event-ruler "Wildcard matching": "Simple*Service", with \\* as a literal star', () => {
  yes({ source: [{ wildcard: 'Simple*Service' }] }, { source: 'Simple Notification Service' });
  no({ source: [{ wildcard: 'Simple*Service' }] }, { source: 'Simple Notification Services' });
  yes({ detail: { FileName: [{ wildcard: 'dir/*.png' }] } }, { detail: { FileName: 'dir/a/b.png' } });
  yes({ name: [{ wildcard: 'a\\*b' }] }, { name: 'a*b' });
  no({ name: [{ wildcard: 'a\\*b' }] }, { name: 'axb' });
});

test('event-ruler "JSON Array Matching": a nested pattern matches any object of an event array', () => {
  const event = { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }] };
  yes({ employees: { firstName: ['Anna'] } }, event);
  no({ employees: { firstName: ['Anna'], lastName: ['Doe'] } }, event);
});

test('a value is matched by type: the string "5" is not the number 5, true is not "true"', () => {
  no({ detail: { 'c-count': ['5'] } });
  yes({ detail: { 'c-count': [5] } });
  no({ flag: ['true'] }, { flag: true });
});

test('the default projector rule matches every eventlake bus entry', () => {
  for (const event of Object.values(SAMPLES)) yes({ source: ['eventlake'] }, toBusEntry(event));
});

test('patterns on the eventlake envelope: detail-type and detail fields', () => {
  const entry = toBusEntry(SAMPLES['cash_deposit']!);
  yes({ 'detail-type': ['cash_deposit'], detail: { TargetAccount: [{ prefix: 'DE44' }], EventTimeStamp: [{ numeric: ['>=', 1234567890] }] } }, entry);
  no({ 'detail-type': [{ 'anything-but': ['cash_deposit', 'verify_cash_deposit'] }] }, entry);
});

test('a malformed pattern is rejected with InvalidArgumentError naming the field', () => {
  const bads: unknown[] = [
    {}, { source: 'eventlake' }, { source: [] }, { a: [{ unknown: 1 }] }, { a: [{ numeric: ['~', 1] }] },
    { a: [{ wildcard: 'a**b' }] }, { a: [{ 'anything-but': ['x', 1] }] }, { a: [{ exists: 'yes' }] }, { $or: [1, 2] },
  ];
  for (const p of bads) {
    try {
      compilePattern(p as EventPattern);
      assert.unreachable(`accepted ${JSON.stringify(p)}`);
    } catch (e) {
      assert.instance(e, InvalidArgumentError, JSON.stringify(p));
    }
  }
});

test.run();
