// prepare() remembers the RequestId each event came with, for the older-case duplicate checks of append(); the note
// rides on the event itself, so it must stay invisible to everything that stores or compares events.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { deepStrictEqual } from 'node:assert';
import { serializeEvent, type DomainEvent } from '../../domain/event.ts';
import { prepareEvents } from '../../projections/eventlake.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { SAMPLES } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('RequestId as given to prepare');
const deposit = SAMPLES['cash_deposit']! as Record<string, unknown>;
const lower = String(deposit['RequestId']);
const upper = { ...deposit, RequestId: lower.toUpperCase() };

test('a prepared event shows only its fields: keys, JSON, a spread and deep equality see nothing else', () => {
  const [event] = prepareEvents(SchemaRegistry.load(), [upper]);
  const expected = { ...deposit, RequestId: lower };
  assert.equal(Object.keys(event!).sort(), Object.keys(expected).sort());
  assert.is(serializeEvent(event!), serializeEvent(expected as DomainEvent));
  assert.is(Object.getOwnPropertySymbols({ ...event! }).length, 0);
  deepStrictEqual(event, expected);
});

test('an event stored with an upper-case RequestId and re-sent in lower case is a duplicate of it, counted once', () => withLake(async (local) => {
  // append() stores what it is given: the upper-case id, as an emit before lower-casing did.
  const [stored] = await local.lake.append([upper as unknown as DomainEvent]);
  const [again] = await local.lake.emit(deposit);
  assert.equal([again!.status, again!.id], ['duplicate', stored!.id]);
  assert.is(await local.index.count(), 1);
}));

test.run();
