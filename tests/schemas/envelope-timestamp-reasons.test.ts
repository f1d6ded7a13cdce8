// An EventTimeStamp the envelope refuses (a user schema without minimum/maximum lets any number reach it) is refused
// saying what is wrong with it, and the fix, instead of one "is not whole epoch seconds" for every case.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaValidationError, type FieldIssue } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('envelope: why an EventTimeStamp is refused');
const RANGE = 'whole epoch seconds (UTC) from 0 (1970-01-01) to 4102444800 (2100-01-01)';

/** A registry with a user type whose schema says only `"type": "number"` for EventTimeStamp. */
function looseRegistry(): SchemaRegistry {
  const dir = tempDir();
  writeFileSync(join(dir, 'loose_event.v1.json'), JSON.stringify({
    type: 'object',
    properties: { EventType: { const: 'loose_event' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'number' } },
  }));
  return SchemaRegistry.load({ folders: [dir], now: () => 1_700_000_000 });
}

/** The one issue validating a loose event with `ts` reports. */
function timestampIssue(ts: number): FieldIssue {
  const event = { EventType: 'loose_event', SchemaVersion: 1, RequestId: SAMPLES['cash_deposit']!.RequestId, EventTimeStamp: ts };
  let caught: unknown;
  try {
    looseRegistry().validate(event);
  } catch (error) {
    caught = error;
  }
  assert.instance(caught, SchemaValidationError, `EventTimeStamp ${String(ts)} was accepted`);
  const issues = (caught as SchemaValidationError).issues;
  assert.is(issues.length, 1, JSON.stringify(issues));
  assert.is(issues[0]!.pointer, '/EventTimeStamp');
  return issues[0]!;
}

test('a negative EventTimeStamp is refused as before 1970, naming the range that is stored', () => {
  const issue = timestampIssue(-5);
  assert.is(issue.reason, 'is -5, before 1970-01-01 (negative epoch seconds), which eventlake does not store');
  assert.match(issue.expected, RANGE);
});

test('a fractional EventTimeStamp is refused as not whole seconds, with the rounded value', () => {
  const issue = timestampIssue(1_714_000_000.5);
  assert.is(issue.reason, 'is 1714000000.5, not whole seconds');
  assert.match(issue.expected, 'round it, e.g. 1714000000');
});

test('an EventTimeStamp in milliseconds is refused as after 2100, naming it in seconds', () => {
  const issue = timestampIssue(1_714_000_000_000);
  assert.is(issue.reason, 'is 1714000000000, after 2100-01-01');
  assert.match(issue.expected, 'in seconds, not milliseconds: 1714000000 for this one');
});

test.run();
