// Group commit across callers: concurrent emits share appends, and each caller gets only its own answer.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { BatchRejectedError, EventConflictError } from '../../domain/errors.ts';
import { GroupEmitter } from '../../projections/group-emitter.ts';
import { rejects } from '../support/async.ts';
import { variant } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('GroupEmitter');
const payment = (amount = '10.00') => variant('incoming_payment', { RequestId: randomUUID(), Amount: amount });

test('concurrent emits share one append, and each caller gets its own results in its order', async () => {
  await withLake(async (local) => {
    const emitter = new GroupEmitter(local.lake);
    const inputs = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? [payment(), payment()] : payment()));
    const answers = await Promise.all(inputs.map((input) => emitter.emit(input)));
    // The first call finds no append running and goes alone; the 39 that arrive meanwhile go as one append.
    assert.equal(emitter.stats, { appends: 2, calls: 40 });
    answers.forEach((results, i) => {
      const sent = (Array.isArray(inputs[i]) ? inputs[i] : [inputs[i]]) as Record<string, unknown>[];
      assert.equal(results.map((r) => r.id), sent.map((e) => `incoming_payment_${e['RequestId']}`));
      assert.ok(results.every((r) => r.status === 'stored'));
    });
    assert.is(await local.index.count(), 50);
  });
});

test('an invalid input is refused at once, and the calls beside it are stored', async () => {
  await withLake(async (local) => {
    const emitter = new GroupEmitter(local.lake);
    const good = [emitter.emit(payment()), emitter.emit(payment())];
    const invalid = emitter.emit(variant('incoming_payment', { Amount: 'ten' })); // a promise, like Eventlake.emit: no synchronous throw
    await rejects(() => invalid, BatchRejectedError);
    const stored = await Promise.all(good);
    assert.equal(stored.map(([r]) => r!.status), ['stored', 'stored']);
    assert.is(await local.index.count(), 2);
  });
});

test('a call that conflicts with a stored event fails alone: the others of its group are stored', async () => {
  await withLake(async (local) => {
    const original = payment('10.00');
    await local.lake.emit(original);
    const emitter = new GroupEmitter(local.lake);
    const first = emitter.emit(payment());
    const before = emitter.emit(payment());
    const conflicting = emitter.emit({ ...original, Amount: '99.00' });
    const after = emitter.emit(payment());
    await rejects(() => conflicting, EventConflictError);
    assert.equal((await Promise.all([first, before, after])).map(([r]) => r!.status), ['stored', 'stored', 'stored']);
    // The first went alone; the other three went as one group, which conflicted: the two others went again together.
    assert.equal(emitter.stats, { appends: 2, calls: 4 });
    assert.is(await local.index.count(), 4);
    assert.is(await local.lake.balance(String(original['TargetAccount'])), '40.00');
  });
});

test('the same event sent by two concurrent calls is stored once: the other call hears duplicate', async () => {
  await withLake(async (local) => {
    const emitter = new GroupEmitter(local.lake);
    const event = payment();
    const [, a, b] = await Promise.all([emitter.emit(payment()), emitter.emit(event), emitter.emit(event)]);
    assert.equal([a![0]!.status, b![0]!.status].sort(), ['duplicate', 'stored']);
    assert.is(await local.index.count(), 2);
  });
});

test('a group never exceeds maxEvents, but a larger call goes alone rather than being split', async () => {
  await withLake(async (local) => {
    const emitter = new GroupEmitter(local.lake, { maxEvents: 3 });
    const sizes = [1, 2, 2, 1, 5];
    const answers = await Promise.all(sizes.map((n) => emitter.emit(Array.from({ length: n }, () => payment()))));
    assert.equal(answers.map((r) => r.length), sizes);
    // [1] alone (nothing was running), then [2], then [2, 1], then [5] alone.
    assert.is(emitter.stats.appends, 4);
    assert.is(await local.index.count(), 11);
  });
});

test.run();
