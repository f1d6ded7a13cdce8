// GroupEmitter when a group hits a conflict: only the calls holding the conflicting identity lose the group; the
// others are appended again together, so one client re-sending a conflicting event does not make a busy server
// append call by call.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { EventConflictError } from '../../domain/errors.ts';
import { GroupEmitter } from '../../projections/group-emitter.ts';
import { rejects } from '../support/async.ts';
import { variant } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('GroupEmitter conflicts');
const payment = (amount = '10.00') => variant('incoming_payment', { RequestId: randomUUID(), Amount: amount });

test('a group with one conflicting call is appended again as one group without it, not call by call', async () => {
  await withLake(async (local) => {
    const original = payment();
    await local.lake.emit(original);
    const emitter = new GroupEmitter(local.lake);
    const first = emitter.emit(payment()); // alone: nothing was running
    const others = Array.from({ length: 8 }, () => emitter.emit(payment()));
    const conflicting = emitter.emit({ ...original, Amount: '99.00' });
    await rejects(() => conflicting, EventConflictError);
    assert.ok((await Promise.all([first, ...others])).every(([r]) => r!.status === 'stored'));
    // The first alone, then the eight others together once the group of nine had failed on the conflict.
    assert.is(emitter.stats.appends, 2);
    assert.is(await local.index.count(), 10);
  });
});

test('two calls sending one identity with different bytes: the earlier is stored, the later fails alone, the rest together', async () => {
  await withLake(async (local) => {
    const emitter = new GroupEmitter(local.lake);
    const event = payment('10.00');
    const first = emitter.emit(payment());
    const before = emitter.emit(payment());
    const earlier = emitter.emit(event);
    const later = emitter.emit({ ...event, Amount: '20.00' });
    const after = emitter.emit(payment());
    await rejects(() => later, EventConflictError);
    assert.equal((await Promise.all([first, before, earlier, after])).map(([r]) => r!.status), ['stored', 'stored', 'stored', 'stored']);
    const stored = await local.index.get((await earlier)[0]!.id);
    assert.is((await local.log.read(stored!.location))['Amount'], '10.00');
    assert.is(await local.index.count(), 4);
  });
});

test.run();
