// plan's from/until in the wrong unit or of the wrong type, and misspelt keys of the plan request and the
// rebuild/verify/promote options, are refused naming them (in-memory ports): before, they planned or ran silently wrong.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rejects } from '../../support/async.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('rebuild arguments');

async function coordinator(): Promise<RebuildCoordinator> {
  const { lake } = await buildScenario();
  return new RebuildCoordinator(lake, lake.projections);
}

test('plan refuses an until in epoch seconds, naming until, with the hint to give ms', async () => {
  const c = await coordinator();
  const error = await rejects(() => c.plan({ projection: 'balances', from: 0, until: 1714003600 }), InvalidArgumentError);
  assert.is(error.argument, 'until');
  assert.match(error.message, 'looks like seconds; give epoch ms: 1714003600*1000');
});

test('plan refuses a from in epoch seconds, and a Date until, naming them', async () => {
  const c = await coordinator();
  assert.is((await rejects(() => c.plan({ projection: 'balances', from: 1714000000 }), InvalidArgumentError)).argument, 'from');
  const date = await rejects(() => c.plan({ projection: 'balances', from: 0, until: new Date(1714003600000) as unknown as number }), InvalidArgumentError);
  assert.is(date.argument, 'until');
});

test('plan keeps from 0 (from the start) and an until in epoch ms', async () => {
  const c = await coordinator();
  const plan = await c.plan({ projection: 'balances', from: 0, until: 1714003600000 });
  assert.is(plan.projection, 'balances');
});

test('plan refuses a misspelt key of its request, naming it and the known keys', async () => {
  const c = await coordinator();
  const error = await rejects(() => c.plan({ projection: 'balances', from: 0, untill: 5 } as never), InvalidArgumentError);
  assert.is(error.argument, 'untill');
  assert.match(error.message, 'did you mean until?');
  assert.match(error.message, 'known keys: projection, from, until, against');
});

test('rebuild, verify and promote refuse a misspelt option key, naming it', async () => {
  const c = await coordinator();
  const plan = await c.plan({ projection: 'balances', from: 0 });
  const rebuild = await rejects(() => c.rebuild(plan, { restorTier: 'Bulk' } as never), InvalidArgumentError);
  assert.is(rebuild.argument, 'restorTier');
  assert.match(rebuild.message, 'did you mean restoreTier?');
  assert.is((await rejects(() => c.rebuild(plan, { poll: { pollMS: 5 } } as never), InvalidArgumentError)).argument, 'poll.pollMS');
  assert.is((await rejects(() => c.verify('balances', 1, 'log', { snapshotat: 5 } as never), InvalidArgumentError)).argument, 'snapshotat');
  assert.is((await rejects(() => c.promote('balances', 2, [], { batchsize: 5 } as never), InvalidArgumentError)).argument, 'batchsize');
});

test.run();
