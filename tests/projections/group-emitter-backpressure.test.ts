// GroupEmitter under more calls than appends can take: the events waiting for an append are bounded, and a call past
// the bound is refused at once (retry later) instead of waiting, and holding its events in memory, without limit.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { TransientError } from '../../domain/errors.ts';
import { GroupEmitter } from '../../projections/group-emitter.ts';
import { variant } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('GroupEmitter backpressure');
const payment = () => variant('incoming_payment', { RequestId: randomUUID() });

/** A `run` that holds every append until `open()`: the appends are slower than the calls. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, run: async <T>(work: () => Promise<T>): Promise<T> => { await opened; return work(); } };
}

test('a call that would take the events waiting past maxWaiting is refused at once with a TransientError naming the option', async () => {
  await withLake(async (local) => {
    const { open, run } = gate();
    const emitter = new GroupEmitter(local.lake, { run, maxWaiting: 4 });
    const running = emitter.emit(payment()); // taken by the first append, which waits at the gate
    const waiting = [emitter.emit([payment(), payment()]), emitter.emit([payment(), payment()])]; // 4 waiting: the bound
    const fifth = emitter.emit(payment());
    fifth.catch(() => undefined);
    const outcome = await Promise.race([fifth.then(() => 'stored', (e: unknown) => e), new Promise((r) => setTimeout(() => r('still waiting'), 100))]);
    open();
    assert.instance(outcome, TransientError);
    assert.match((outcome as TransientError).message, 'maxWaiting');
    const stored = await Promise.all([running, ...waiting]);
    assert.equal(stored.map((r) => r.length), [1, 2, 2]);
    assert.is(await local.index.count(), 5);
  });
});

test('one call larger than maxWaiting is still taken when nothing waits (as maxEvents never splits a call)', async () => {
  await withLake(async (local) => {
    const emitter = new GroupEmitter(local.lake, { maxWaiting: 2 });
    const results = await emitter.emit([payment(), payment(), payment()]);
    assert.is(results.length, 3);
  });
});

test.run();
