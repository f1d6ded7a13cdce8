// plan's from/until of the wrong type (and, warned of, maybe in seconds), and misspelt keys of the plan request and the
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

test('plan warns of an until that may be epoch seconds, with the value in ms, and still plans it: 1970-1973 are log times', async () => {
  const c = await coordinator();
  const plan = await c.plan({ projection: 'balances', from: 0, until: 1714003600 });
  assert.is(plan.until, 1714003600);
  assert.ok(plan.warnings.some((w) => w.includes('until 1714003600 (epoch ms) is 1970-01-20') && w.includes('if you meant epoch seconds, give 1714003600000')), plan.warnings.join('\n'));
});

test('plan warns of a from that may be epoch seconds, and refuses a Date until, naming it', async () => {
  const c = await coordinator();
  const plan = await c.plan({ projection: 'balances', from: 1714000000 });
  assert.ok(plan.warnings.some((w) => w.startsWith('from 1714000000 (epoch ms)')), plan.warnings.join('\n'));
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
