// The Changes a projection's rule returns are checked before anything is applied (domain/projection-changes-check.ts):
// each shape the `Changes` type refuses (a rule in JavaScript, or cast with `as any`) is the rule's error,
// ProjectionRuleError naming the projection, the event, the field, what it holds and the fix, in every fold path.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DomainEvent } from '../../domain/event.ts';
import { eventId } from '../../domain/event.ts';
import { checkChanges } from '../../domain/projection-changes-check.ts';
import { ProjectionRuleError } from '../../domain/projection-errors.ts';
import { applyToState, changesChecked, emptyState, foldEvents, ruleErrorsTyped, type Changes, type Projection } from '../../domain/projection.ts';
import { thrown } from '../support/thrown.ts';

const test = suite('checkChanges');

const EVENT: DomainEvent = { EventType: 'cash_deposit', SchemaVersion: 1, RequestId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: 1714000000 };
const ID = eventId(EVENT);

/** The problem `changes` (cast past the compiler) is refused with: the rule's error, as dead letters show it. */
const refused = (changes: unknown): string => {
  const error = thrown(() => checkChanges('x', EVENT, changes as Changes), ProjectionRuleError);
  assert.equal([error.code, error.projection, error.eventId, error.eventType], ['PROJECTION_RULE_FAILED', 'x', ID, 'cash_deposit']);
  assert.instance(error.cause, TypeError);
  return error.ruleError;
};

test('a string delta is refused, naming the field, the value and the fix', () => {
  assert.is(refused({ counters: [{ key: 'c', delta: '5' }] }),
    "TypeError: decide returned counters[0].delta = '5' (a string): return a bigint: 150n, not 1.5 or '1.50' (parseAmount('1.50') gives 150n)");
});

test('a float or integer number delta is refused', () => {
  assert.match(refused({ counters: [{ key: 'c', delta: 1n }, { key: 'd', delta: 1.5 }] }), 'counters[1].delta = 1.5 (a number): return a bigint');
  assert.match(refused({ counters: [{ key: 'c', delta: 1 }] }), 'counters[0].delta = 1 (a number)');
});

test('a counter key that is not a non-empty string is refused', () => {
  assert.match(refused({ counters: [{ key: 7, delta: 1n }] }), 'counters[0].key = 7 (a number): return a non-empty string');
  assert.match(refused({ counters: [{ delta: 1n }] }), 'counters[0].key = undefined');
  assert.match(refused({ counters: [{ key: '', delta: 1n }] }), "counters[0].key = '' (a string)");
});

test('a bigint, undefined or Date in a row value or memo is refused with its path', () => {
  assert.match(refused({ rows: [{ key: 'r', partition: 'p', value: { n: 1n } }] }), "rows[0].value.n = 1n (a bigint): row values and memos hold JSON values only: strings, numbers, booleans, null, arrays and plain objects: write it as a string (String(x) gives '1')");
  assert.match(refused({ memo: { list: [1, { at: new Date(0) }] } }), 'memo.list[1].at = a Date');
  assert.match(refused({ memo: { note: undefined } }), 'memo.note = undefined: row values and memos hold JSON values only');
});

test('a row whose key or partition is not a string, or whose value is no JSON object, is refused', () => {
  assert.match(refused({ rows: [{ key: 1, partition: 'p', value: {} }] }), 'rows[0].key = 1 (a number): return a string');
  assert.match(refused({ rows: [{ key: 'r', value: {} }] }), 'rows[0].partition = undefined');
  assert.match(refused({ rows: [{ key: 'r', partition: 'p', value: [1] }] }), 'rows[0].value = an array: return a plain JSON object');
});

test('a memo that holds itself is refused, not overflowing the stack', () => {
  const memo: Record<string, unknown> = { a: 1 };
  memo['self'] = { again: memo };
  assert.match(refused({ memo }), 'memo.self.again = the object holding it (a cycle)');
});

test('changes that are no object, or counters and rows that are no arrays, are refused', () => {
  assert.match(refused(undefined), 'decide returned undefined in place of its Changes');
  assert.match(refused({ counters: { key: 'c', delta: 1n } }), 'counters = an object: return an array');
  assert.match(refused({ memo: [1] }), 'memo = an array: return a plain JSON object, or leave memo out');
});

test('a memo of null (what the stores hand back for no memo) is taken as no memo, as the stores always did', () => {
  const changes = { counters: [{ key: 'c', delta: 1n }], memo: null } as unknown as Changes;
  assert.is(checkChanges('x', EVENT, changes), changes);
});

test('what the Changes type allows passes as it is: optional fields absent or undefined, any JSON number, nested JSON', () => {
  const changes = {
    counters: [{ key: 'c', delta: -5n }],
    rows: [{ key: 'r', partition: 'p', value: { a: [1, 'x', null, true, { b: 1.5 }], n: Number.NaN, z: Object.create(null) as object } }],
    memo: { shared: [1], again: [1] },
  } as unknown as Changes;
  assert.is(checkChanges('x', EVENT, changes), changes);
  assert.equal(checkChanges('x', EVENT, { counters: undefined, rows: undefined, memo: undefined }), { counters: undefined, rows: undefined, memo: undefined });
});

const returning = (changes: unknown): Projection => ({
  name: 'x', version: 1, handles: () => true, related: () => [], decide: () => changes as Changes,
});

test('applyToState and foldEvents refuse bad changes before changing the state', () => {
  const state = emptyState();
  thrown(() => applyToState(state, returning({ counters: [{ key: 'c', delta: '5' }] }), EVENT), ProjectionRuleError);
  assert.equal([state.counters.size, state.applied.size], [0, 0]);
  thrown(() => foldEvents(returning({ rows: [{ key: 'r', partition: 'p', value: { n: 1n } }] }), [EVENT]), ProjectionRuleError);
});

test('the wrappers stores apply with (ruleErrorsTyped for a replay, changesChecked for dispatch) refuse them too', () => {
  const bad = returning({ counters: [{ key: 'c', delta: 1.5 }] });
  for (const wrapped of [ruleErrorsTyped(bad), changesChecked(bad)]) {
    const error = thrown(() => wrapped.decide(EVENT, new Map()), ProjectionRuleError);
    assert.match(error.message, `projection x: its rule for cash_deposit threw on event ${ID}: TypeError: decide returned counters[0].delta = 1.5 (a number)`);
  }
});

test('changesChecked leaves a rule\'s own error as it is: dispatch\'s dead letters show it so', () => {
  const throwing: Projection = { ...returning({}), decide: () => { throw new RangeError('rule broke'); } };
  const error = thrown(() => changesChecked(throwing).decide(EVENT, new Map()), RangeError);
  assert.is(error.message, 'rule broke');
});

test.run();
