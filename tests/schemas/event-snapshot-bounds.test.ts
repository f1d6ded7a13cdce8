// emit()'s plain copy of an event (plainSnapshot) holds all of it, however deep, and costs nothing for what no event
// can be: a value nested deeper than 64 levels was kept as given, so a caller could still change it after it was
// validated; an array or a byte array too large for any event was copied one key an element (a Buffer of megabytes
// took seconds and the process's memory) before validation refused it. The copy stores the bytes the event did.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { serializeEvent, type DomainEvent } from '../../domain/event.ts';
import { plainSnapshot } from '../../schemas/event-snapshot.ts';
import { MAX_EVENT_BYTES } from '../../schemas/registry.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('schemas: the plain copy of an event');

/** `{ Next: { Next: … { Leaf: 'as validated' } } }`, `levels` objects deep, and its innermost object. */
function nested(levels: number): { root: Record<string, unknown>; leaf: Record<string, unknown> } {
  const leaf: Record<string, unknown> = { Leaf: 'as validated' };
  let root = leaf;
  for (let i = 1; i < levels; i++) root = { Next: root };
  return { root, leaf };
}

test('a value nested 100 levels deep is copied: changing it afterwards does not change the copy', () => {
  const { root, leaf } = nested(100);
  const copy = plainSnapshot(root);
  leaf['Leaf'] = 'changed later';
  assert.is(JSON.stringify(copy).includes('as validated'), true);
});

test('a cyclic object is copied down to the cycle and ends there, the cycle kept as given', () => {
  const cyclic: Record<string, unknown> = { Name: 'loop' };
  cyclic['Self'] = cyclic;
  let at = plainSnapshot(cyclic) as Record<string, unknown>;
  let copies = 0;
  while (at !== cyclic) {
    copies++;
    at = at['Self'] as Record<string, unknown>;
  }
  assert.ok(copies > 0 && copies < 100, `${copies} copies`);
});

test('a byte array longer than an event can be is kept as given, not copied one key a byte', () => {
  const bytes = Buffer.alloc(MAX_EVENT_BYTES + 1);
  assert.ok(plainSnapshot(bytes) === bytes, "copied");
});

test('an array longer than an event can be is kept as given, not copied element by element', () => {
  const long = new Array<number>(MAX_EVENT_BYTES + 1).fill(0);
  assert.ok(plainSnapshot(long) === long, "copied");
});

test('a byte array an event could hold is copied as the object of its indexes that serializeEvent stores', () => {
  const copy = plainSnapshot(Uint8Array.of(7, 8));
  assert.equal(copy, { 0: 7, 1: 8 });
});

class Money {
  constructor(readonly amount: string) {}
  toJSON(): string {
    return 'never read by serializeEvent';
  }
}

const unusual: Record<string, unknown>[] = [
  { ...SAMPLES['cash_deposit'], When: new Date(0), Amount: new Money('1.00'), Holes: [1, , 3] }, // eslint-disable-line no-sparse-arrays
  { ...SAMPLES['cash_deposit'], Plain: { toJSON: () => 'kept', b: 1 }, Big: Uint8Array.of(1, 2) },
  JSON.parse('{"__proto__":{"Amount":"1.00"},"EventType":"cash_deposit","2":"x","10":"y"}') as Record<string, unknown>,
];

for (const [i, event] of [...Object.values(SAMPLES), ...unusual].entries()) {
  test(`the copy of event ${i} (${String(event['EventType'])}) serializes to the same bytes as the event itself`, () => {
    assert.is(serializeEvent(plainSnapshot(event) as DomainEvent), serializeEvent(event as DomainEvent));
  });
}

test.run();
