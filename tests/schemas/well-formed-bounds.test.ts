// The well-formed and depth walk of validation stays bounded on hostile shapes: it names at most 100 issues, and
// stops at the first level too deep, so a cyclic object from a JS caller is refused at once instead of walked path
// by path (2^64 paths for `a = { x: a, y: a }`).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaValidationError } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { MAX_EVENT_DEPTH } from '../../schemas/well-formed.ts';
import { cardPayment, cardSchemaWith } from '../support/account-fields.ts';

const test = suite('schemas: the well-formed walk is bounded');

/** card_payment v1 with a field Notes that takes any value, so only the walk refuses what it holds. */
const registry = SchemaRegistry.load({ folders: [cardSchemaWith((_schema, properties) => { properties['Notes'] = {}; })] });
const withNotes = (notes: unknown) => ({ ...cardPayment(1, 1234567890, 'CARD-0001'), Notes: notes });

function issuesOf(event: unknown): SchemaValidationError['issues'] {
  try {
    registry.validate(event);
  } catch (error) {
    assert.instance(error, SchemaValidationError);
    return (error as SchemaValidationError).issues;
  }
  assert.unreachable('the event was accepted');
  return [];
}

test('a thousand lone surrogates are named 100 at the most', () => {
  const issues = issuesOf(withNotes(new Array<string>(1_000).fill('\udc00')));
  assert.is(issues.length, 100);
  assert.is(issues[0]!.pointer, '/Notes/0');
});

test('three branches too deep are named once, at the first', () => {
  const deep = () => JSON.parse('{"a":'.repeat(MAX_EVENT_DEPTH + 5) + '1' + '}'.repeat(MAX_EVENT_DEPTH + 5)) as unknown;
  const issues = issuesOf(withNotes([deep(), deep(), deep()]));
  assert.is(issues.length, 1);
  assert.ok(issues[0]!.pointer.startsWith('/Notes/0/a/a'), issues[0]!.pointer.slice(0, 40));
});

test('a cyclic object is refused as too deep at once', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['x'] = cyclic;
  cyclic['y'] = cyclic;
  const started = Date.now();
  const issues = issuesOf(withNotes(cyclic));
  assert.is(issues.length, 1);
  assert.match(issues[0]!.reason, `nests deeper than ${MAX_EVENT_DEPTH} levels`);
  assert.ok(Date.now() - started < 1_000, `${Date.now() - started} ms`);
});

test.run();
