// A coordinator call's restore, poll and batch options are refused, naming the option, before anything is locked or
// written (in-memory ports): library callers reached busy loops (a poll of 0 ms), 1 ms waits (past 2^31-1 ms) or
// failures after restores began (restoreDays 0) with them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { RebuildOptions } from '../../../projections/rebuild/rebuild-options.ts';
import { AthenaEventQuery } from '../../../adapters/aws/athena-event-query.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('coordinator call options');

/** Each bad option, with the name the error must carry. */
const BAD: readonly [string, RebuildOptions][] = [
  ['restoreTier', { restoreTier: 'Fast' as never }],
  ['restoreDays', { restoreDays: 0 }],
  ['restoreDays', { restoreDays: 1.5 }],
  ['batchSize', { batchSize: 0 }],
  ['batchSize', { batchSize: Number.NaN }],
  ['poll.pollMs', { poll: { pollMs: 0 } }],
  ['poll.pollMs', { poll: { pollMs: -5 } }],
  ['poll.maxPollMs', { poll: { maxPollMs: 2 ** 31 } }],
  ['poll.maxPollMs', { poll: { pollMs: 1000, maxPollMs: 10 } }],
  ['poll.timeoutMs', { poll: { timeoutMs: Number.NaN } }],
];

async function refusal(call: () => Promise<unknown>): Promise<InvalidArgumentError> {
  const error = await call().then(() => undefined, (e: unknown) => e);
  assert.instance(error, InvalidArgumentError);
  return error as InvalidArgumentError;
}

for (const [name, options] of BAD) {
  test(`rebuild refuses ${JSON.stringify(options)} naming ${name}, with no generation started`, async () => {
    const { lake } = await buildScenario();
    const coordinator = new RebuildCoordinator(lake, lake.projections);
    const plan = await coordinator.plan({ projection: 'balances', from: 0 });
    let created = 0;
    const create = lake.store.createGeneration.bind(lake.store);
    lake.store.createGeneration = (n) => { created++; return create(n); };
    const error = await refusal(() => coordinator.rebuild(plan, options));
    assert.is(error.argument, name);
    assert.is(created, 0);
    // The lease was never taken: a rebuild with good options runs at once.
    await coordinator.rebuild(plan, { batchSize: 50 });
    assert.is(created, 1);
  });
}

test('verify and promote refuse bad options too, naming them', async () => {
  const { lake } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const live = await lake.store.liveGeneration('balances');
  assert.is((await refusal(() => coordinator.verify('balances', live!, 'log', { poll: { pollMs: 0 } }))).argument, 'poll.pollMs');
  assert.is((await refusal(() => coordinator.promote('balances', live! + 1, [], { restoreDays: -1 }))).argument, 'restoreDays');
});

test('good options and the defaults pass', async () => {
  const { lake } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const plan = await coordinator.plan({ projection: 'balances', from: 0 });
  const built = await coordinator.rebuild(plan, { restoreTier: 'Bulk', restoreDays: 3, batchSize: 7, poll: { pollMs: 1, maxPollMs: 5, timeoutMs: 60_000 } });
  assert.is(built.checkpoint.phase, 'finished');
});

test('AthenaEventQuery refuses poll waits a timer cannot keep and a timeout that is not a time', () => {
  const make = (extra: object) => () => new AthenaEventQuery({ client: {} as never, workGroup: 'w', database: 'd', ...extra });
  for (const [name, extra] of [['firstPollMs', { firstPollMs: 0 }], ['maxPollMs', { maxPollMs: 2 ** 31 }], ['timeoutMs', { timeoutMs: -1 }], ['timeoutMs', { timeoutMs: Number.POSITIVE_INFINITY }]] as const) {
    try {
      make(extra)();
      assert.unreachable(`${name} accepted`);
    } catch (error) {
      assert.instance(error, InvalidArgumentError);
      assert.is((error as InvalidArgumentError).argument, name);
    }
  }
  make({ firstPollMs: 250, maxPollMs: 5000, timeoutMs: 300_000 })();
});

test.run();
