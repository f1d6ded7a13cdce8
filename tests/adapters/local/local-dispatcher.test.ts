// LocalDispatcher: the Dispatcher contract, rule routing by EventBridge pattern, retries with backoff, dead letters,
// redrive, and the projector as a target.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { balancesProjection } from '../../../domain/balances.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { eventId } from '../../../domain/event.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import type { DeadLetterStore } from '../../../domain/ports/dead-letter-store.ts';
import { LocalDispatcher } from '../../../adapters/local/local-dispatcher.ts';
import type { LocalDispatcherOptions, LocalRoute } from '../../../adapters/local/local-dispatcher.ts';
import { SqliteDeadLetterStore } from '../../../adapters/local/sqlite-dead-letter-store.ts';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { projectorRoute } from '../../../projections/projector.ts';
import { dispatcherContract } from '../../contracts/dispatcher.contract.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const deadLetters = () => new SqliteDeadLetterStore(join(tempDir(), 'dispatch.db'));

dispatcherContract('LocalDispatcher', async () => ({
  subject: new LocalDispatcher({ rules: [{ rule: { name: 'all', pattern: { source: ['eventlake'] }, target: 'sink' }, handler: async () => {} }], deadLetters: deadLetters() }),
}));

const test = suite('LocalDispatcher');
const ALL = Object.values(SAMPLES);
const payment = SAMPLES['incoming_payment']!;
const withdrawal = SAMPLES['cash_withdrawal']!;

/** A route that records each batch it receives and fails for events `poison` picks. */
function recorder(target: string, pattern: Record<string, unknown>, poison: (e: DomainEvent, call: number) => boolean = () => false) {
  const batches: string[][] = [];
  let calls = 0;
  const route: LocalRoute = {
    rule: { name: `${target}-rule`, pattern, target },
    handler: async (events) => {
      calls++;
      if (events.some((e) => poison(e, calls))) throw new RangeError(`cannot handle ${events.map(eventId).join(',')}`);
      batches.push(events.map(eventId));
    },
  };
  return { route, batches, calls: () => calls };
}

function dispatcher(rules: LocalRoute[], extra: Partial<LocalDispatcherOptions> = {}) {
  const sleeps: number[] = [];
  const dlq = deadLetters();
  const d = new LocalDispatcher({ rules, deadLetters: dlq, backoff: { baseMs: 1, maxMs: 4 }, sleep: async (ms) => void sleeps.push(ms), now: () => 1000, ...extra });
  return { d, sleeps, dlq };
}

test('a rule receives only the events its pattern matches', async () => {
  const r = recorder('withdrawals', { 'detail-type': ['cash_withdrawal'] });
  await dispatcher([r.route]).d.publish(ALL);
  assert.equal(r.batches, [[eventId(withdrawal)]]);
});

test('a rule\'s matching events arrive as one batch, in publish order', async () => {
  const r = recorder('all', { source: ['eventlake'] });
  await dispatcher([r.route]).d.publish(ALL);
  assert.equal(r.batches, [ALL.map(eventId)]);
});

test('every rule whose pattern matches receives the event', async () => {
  const a = recorder('a', { detail: { TargetAccount: [{ prefix: 'DE44' }] } });
  const b = recorder('b', { detail: { Amount: [{ 'anything-but': '200.00' }] }, 'detail-type': [{ suffix: '_payment' }] });
  await dispatcher([a.route, b.route]).d.publish(ALL);
  assert.equal(a.batches, [[eventId(SAMPLES['cash_deposit']!), eventId(SAMPLES['verify_cash_deposit']!), eventId(payment)]]);
  assert.equal(b.batches, [[eventId(payment)]]);
});

test('an event no rule matches is still published', async () => {
  const r = recorder('none', { source: ['somebody.else'] });
  const outcomes = await dispatcher([r.route]).d.publish([payment]);
  assert.equal(outcomes, [{ id: eventId(payment), status: 'published' }]);
  assert.equal(r.batches, []);
});

test('a failing delivery is retried with backoff and, once delivered, leaves no dead letter', async () => {
  const r = recorder('flaky', { source: ['eventlake'] }, (_, call) => call <= 2);
  const { d, sleeps, dlq } = dispatcher([r.route], { random: () => 1 });
  const [outcome] = await d.publish([payment]);
  assert.is(outcome?.status, 'published');
  assert.equal(r.batches, [[eventId(payment)]]);
  assert.equal(sleeps, [1, 2]);
  assert.equal(await dlq.list(), []);
  assert.equal(d.stats, { delivered: 1, deadLettered: 0, retries: 2 });
});

test('backoff doubles per attempt up to maxMs, jittered down by at most half', async () => {
  const r = recorder('down', { source: ['eventlake'] }, () => true);
  const high = dispatcher([r.route], { random: () => 1, maxAttempts: 5 });
  await high.d.publish([payment]);
  assert.equal(high.sleeps, [1, 2, 4, 4]);
  const low = dispatcher([r.route], { random: () => 0, maxAttempts: 5 });
  await low.d.publish([payment]);
  assert.equal(low.sleeps, [0.5, 1, 2, 2]);
});

test('one poison event is dead-lettered after maxAttempts; the others of its batch are delivered', async () => {
  const r = recorder('balances', { source: ['eventlake'] }, (e) => e === withdrawal);
  const { d, dlq } = dispatcher([r.route], { maxAttempts: 3 });
  const outcomes = await d.publish(ALL);
  assert.ok(outcomes.every((o) => o.status === 'published'));
  assert.equal(r.batches.flat().sort(), ALL.filter((e) => e !== withdrawal).map(eventId).sort());
  assert.equal(await dlq.list(), [{ id: eventId(withdrawal), target: 'balances', error: `RangeError: cannot handle ${eventId(withdrawal)}`, attempts: 3, failedAt: 1000 }]);
});

test('an event fails only when the dead-letter store refuses it too (so the tail retries it)', async () => {
  const r = recorder('balances', { source: ['eventlake'] }, () => true);
  const broken: DeadLetterStore = { add: async () => { throw new Error('disk full'); }, list: async () => [], remove: async () => {} };
  const { d } = dispatcher([r.route], { deadLetters: broken, maxAttempts: 1 });
  const [outcome] = await d.publish([payment]);
  assert.is(outcome?.status, 'failed');
  assert.match(outcome?.error ?? '', 'disk full');
});

test('redrive re-delivers dead letters and removes the ones delivered', async () => {
  let healthy = false;
  const r = recorder('balances', { source: ['eventlake'] }, () => !healthy);
  const { d, dlq } = dispatcher([r.route], { maxAttempts: 1, load: async (id) => ALL.find((e) => eventId(e) === id)! });
  await d.publish([payment, withdrawal]);
  assert.is((await dlq.list()).length, 2);
  healthy = true;
  assert.equal(await d.redrive(), { redriven: 2, failed: 0 });
  assert.equal(await dlq.list(), []);
  assert.equal(r.batches.flat().sort(), [eventId(withdrawal), eventId(payment)]);
});

test('a dead letter that fails again on redrive stays, with its attempts added up', async () => {
  const r = recorder('balances', { source: ['eventlake'] }, () => true);
  const { d, dlq } = dispatcher([r.route], { maxAttempts: 2, load: async () => payment });
  await d.publish([payment]);
  assert.equal(await d.redrive(), { redriven: 0, failed: 1 });
  assert.equal((await dlq.list()).map((l) => l.attempts), [4]);
});

test('redrive(target) touches only that target\'s dead letters', async () => {
  const a = recorder('a', { source: ['eventlake'] }, () => true);
  const b = recorder('b', { source: ['eventlake'] }, () => true);
  const { d, dlq } = dispatcher([a.route, b.route], { maxAttempts: 1, load: async () => payment });
  await d.publish([payment]);
  assert.equal(await d.redrive('a'), { redriven: 0, failed: 1 });
  assert.is(a.calls(), 2);
  assert.is(b.calls(), 1);
  assert.equal((await dlq.list()).map((l) => l.target).sort(), ['a', 'b']);
});

test('redrive needs a load option to read events back', async () => {
  await rejects(() => dispatcher([]).d.redrive(), InvalidArgumentError);
});

test('a malformed rule pattern is refused when the dispatcher is built', () => {
  assert.throws(() => dispatcher([recorder('x', { source: 'eventlake' }).route]), (e: unknown) => e instanceof InvalidArgumentError);
});

test('with the projector as target, a duplicate publish leaves balances unchanged', async () => {
  const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'));
  const { d } = dispatcher([projectorRoute(store, balancesProjection)]);
  await d.publish([payment, withdrawal]);
  await d.publish([payment]);
  assert.is(await store.counter('balances', 1, 'DE44-5001-0517'), 12345n - 20000n);
  store.close();
});

test.run();
