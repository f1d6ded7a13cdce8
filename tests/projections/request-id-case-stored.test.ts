// Events stored before RequestIds were lower-cased keep their upper-case ids: a client re-sending one of them must
// hear `duplicate`, not have it stored a second time under the lower-case id and counted twice.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DomainEvent } from '../../domain/event.ts';
import { GroupEmitter } from '../../projections/group-emitter.ts';
import { prepareEvents } from '../../projections/eventlake.ts';
import { SAMPLES } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('RequestId case of events stored before lower-casing');
const deposit = SAMPLES['cash_deposit']! as Record<string, unknown>;
const upper = { ...deposit, RequestId: String(deposit['RequestId']).toUpperCase() };

test('re-sending an event stored with an upper-case RequestId is a duplicate of it, counted once', () => withLake(async (local) => {
  // append() stores what it is given: the upper-case id, as an emit before lower-casing did.
  const [stored] = await local.lake.append([upper as unknown as DomainEvent]);
  const [again] = await local.lake.emit(upper);
  assert.equal([again!.status, again!.id], ['duplicate', stored!.id]);
  assert.is(await local.index.count(), 1);
  assert.is(await local.lake.balance(String(deposit['TargetAccount'])), String(deposit['Amount']));
}));

test('the HTTP emitter (grouped appends) and the CLI (prepareEvents, then append) answer duplicate for it too', () => withLake(async (local) => {
  await local.lake.append([upper as unknown as DomainEvent]);
  const [viaHttp] = await new GroupEmitter(local.lake).emit(upper);
  const [viaCli] = await local.lake.append(prepareEvents(local.registry, [upper]));
  assert.equal([viaHttp!.status, viaCli!.status], ['duplicate', 'duplicate']);
  assert.is(await local.index.count(), 1);
}));

test('a new event given in upper case is still stored under its lower-case RequestId', () => withLake(async (local) => {
  const [first] = await local.lake.emit(upper);
  assert.is(first!.id, `cash_deposit_${String(deposit['RequestId']).toLowerCase()}`);
}));

test.run();
