// The folds a rebuild and a verification run (domain/projection.ts applyToState, and the projection a replay hands
// its store, ruleErrorsTyped): a rule that throws is reported as ProjectionRuleError naming the projection and the
// event, with the rule's error as its cause, and the in-memory state is left as it was.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DomainEvent } from '../../../domain/event.ts';
import { ProjectionRuleError } from '../../../domain/projection-errors.ts';
import type { Projection } from '../../../domain/projection.ts';
import { applyToState, emptyState, foldEvents, ruleErrorsTyped } from '../../../domain/projection.ts';
import { thrown } from '../../support/thrown.ts';

const test = suite('a projection rule that throws in a fold');

const event = (requestId: string, amount: string): DomainEvent =>
  ({ EventType: 'cash_deposit', SchemaVersion: 1, RequestId: requestId, EventTimeStamp: 1714000000, TargetAccount: 'A', Amount: amount });
const lucky = event('11111111-1111-4111-8111-111111111111', '1.00');
const unlucky = event('22222222-2222-4222-8222-222222222222', '13.13');

/** Counts events per account; `part` throws `error` on 13.13. */
function refusing(part: 'handles' | 'related' | 'decide', error: unknown = new Error('unlucky amount')): Projection {
  const refuse = (e: DomainEvent) => { if (e['Amount'] === '13.13') throw error; };
  return {
    name: 'counts', version: 1,
    handles: (e) => { if (part === 'handles') refuse(e); return true; },
    related: (e) => { if (part === 'related') refuse(e); return []; },
    decide: (e) => { if (part === 'decide') refuse(e); return { counters: [{ key: String(e['TargetAccount']), delta: 1n }] }; },
  };
}

for (const part of ['handles', 'related', 'decide'] as const) {
  test(`a ${part} that throws is a ProjectionRuleError naming the projection, the event and the rule's error`, () => {
    const error = thrown(() => applyToState(emptyState(), refusing(part), unlucky), ProjectionRuleError);
    assert.equal([error.code, error.projection, error.eventId, error.eventType, error.ruleError],
      ['PROJECTION_RULE_FAILED', 'counts', 'cash_deposit_22222222-2222-4222-8222-222222222222', 'cash_deposit', 'Error: unlucky amount']);
    assert.is((error.cause as Error).message, 'unlucky amount');
  });
}

test('the fold stops at the event the rule throws on and leaves the state as the events before it made it', () => {
  const state = emptyState();
  thrown(() => foldEvents(refusing('decide'), [lucky, unlucky], state), ProjectionRuleError);
  assert.equal([...state.counters], [['A', 1n]]);
  assert.equal([...state.applied.keys()], ['cash_deposit_11111111-1111-4111-8111-111111111111']);
});

test('changes a rule returns that cannot be applied (a delta that is not a bigint) are the rule\'s error too', () => {
  const projection: Projection = { ...refusing('decide'), decide: () => ({ counters: [{ key: 'A', delta: 1 as unknown as bigint }] }) };
  const error = thrown(() => applyToState(emptyState(), projection, lucky), ProjectionRuleError);
  assert.match(error.ruleError, 'TypeError');
});

test('a rule\'s message over several lines, or a thrown value that is no Error, reads on one line', () => {
  const multiline = thrown(() => applyToState(emptyState(), refusing('decide', new Error('first\n  second')), unlucky), ProjectionRuleError);
  assert.is(multiline.ruleError, 'Error: first second');
  assert.not.match(multiline.message, '\n');
  assert.is(thrown(() => applyToState(emptyState(), refusing('decide', 'plain text'), unlucky), ProjectionRuleError).ruleError, 'plain text');
});

test('the projection a replay hands its store throws ProjectionRuleError from each rule and answers as the projection otherwise', () => {
  const rules = { cash_deposit: () => ({}) };
  const typed = ruleErrorsTyped({ ...refusing('decide'), rules });
  assert.equal([typed.name, typed.version, typed.rules, typed.handles(lucky), typed.related(lucky)], ['counts', 1, rules, true, []]);
  assert.equal(typed.decide(lucky, new Map()), { counters: [{ key: 'A', delta: 1n }] });
  for (const part of ['handles', 'related', 'decide'] as const) {
    const projection = ruleErrorsTyped(refusing(part));
    const error = thrown(() => applyToState(emptyState(), projection, unlucky), ProjectionRuleError);
    assert.is(error.ruleError, 'Error: unlucky amount', `${part}: not wrapped twice`);
  }
});

test('a failure given what its caller kept says so in place of "the fold stopped there and changed nothing"', () => {
  const error = thrown(() => applyToState(emptyState(), refusing('decide'), unlucky), ProjectionRuleError);
  assert.match(error.message, 'Error: unlucky amount; the fold stopped there and changed nothing. Fix the rule');
  const within = error.within({ position: 7, stopped: 'kept X', rerun: 'continues X' });
  assert.match(within.message, '(position 7): Error: unlucky amount; kept X. Fix the rule');
  assert.match(within.message, 'then run the same command again, which continues X. Dispatch dead-letters such an event instead: eventlake dlq list shows it');
  assert.is(within.cause, error.cause);
});

test('a failure given the exact command lines ends its fix with them', () => {
  const error = thrown(() => applyToState(emptyState(), refusing('decide'), unlucky), ProjectionRuleError);
  const spelled = error.within({ rerun: 'continues X' }).within({ spelled: { rerun: 'eventlake -d D verify', dlqList: 'eventlake -d D dlq list', dlqRedrive: 'eventlake -d D dlq redrive' } });
  assert.match(spelled.message, 'then run the same command again, which continues X: eventlake -d D verify. ');
  assert.match(spelled.message, 'instead: eventlake -d D dlq list shows it if dispatch met it, and eventlake -d D dlq redrive delivers it once the rule is fixed');
});

test.run();
