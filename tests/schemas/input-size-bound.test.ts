// Validation walks a new event once for both its input-only check (well-formed Unicode, nesting) and the bound of its
// serialized size: that walk must answer exactly what the two separate walks answered.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { serializedSizeBound } from '../../schemas/event-size.ts';
import { inputSizeBound } from '../../schemas/well-formed.ts';

const test = suite('schemas: one walk for input issues and the size bound');

/** `levels` levels of `{ a: … }` around `inner`. */
function nested(levels: number, inner: unknown): Record<string, unknown> {
  let value = inner;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value as Record<string, unknown>;
}

class Point { x = 1 }

test('a clean event gets the bound serializedSizeBound gives, for every kind of value', () => {
  const events: Record<string, unknown>[] = [
    { EventType: 'cash_deposit', Amount: '1.00', Currency: { '1-euro-coins': 1 }, Verified: false, Note: null, Tags: ['a', 1, [true]] },
    { Missing: undefined }, { Big: 5n }, { At: new Date(0) }, { P: new Point() }, { L: Object.assign(Object.create(null), { a: 'x' }) },
    { Sparse: [1, , 3] }, nested(31, 'deep'), nested(32, 'deeper'), nested(40, {}), nested(33, new Point()),
  ];
  for (const event of events) assert.is(inputSizeBound(event), serializedSizeBound(event, 0), JSON.stringify(Object.keys(event)));
});

test('an event with a lone surrogate in a value or a key, or nesting too deep, answers -1', () => {
  assert.is(inputSizeBound({ Reference: 'a\udc00' }), -1);
  assert.is(inputSizeBound({ Tags: ['ok', 'b\ud800'] }), -1);
  assert.is(inputSizeBound({ ['k\udc00']: 1 }), -1);
  assert.is(inputSizeBound(nested(65, 1)), -1);
  assert.ok(inputSizeBound(nested(64, 1)) > 0);
});

test('a surrogate pair is well-formed and counts in the bound', () => {
  assert.is(inputSizeBound({ Emoji: '\ud83d\ude00' }), serializedSizeBound({ Emoji: '\ud83d\ude00' }, 0));
});

test.run();
