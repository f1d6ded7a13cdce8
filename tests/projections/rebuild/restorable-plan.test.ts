// A plan over snapshots the store can no longer restore (AWS PITR markers past retention or of a dropped table): it
// starts from an empty projection and says why, not that no snapshot was taken; and a rebuild to be verified against
// the snapshot it starts from is refused when it starts from none, before anything runs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { planRebuild } from '../../../projections/rebuild/plan.ts';
import { rejects } from '../../support/async.ts';
import { MemoryEventIndex } from '../../support/fakes/memory-event-index.ts';
import { hotEntry } from '../../support/index-entries.ts';
import { DAY, marker, NOW, pitrOff, pitrSince, pitrSnapshots, resetWorld, world } from '../../adapters/aws/pitr-restorable-fake.ts';

const test = suite('rebuild plan: no restorable snapshot');
test.before.each(resetWorld);

async function deps() {
  const index = new MemoryEventIndex();
  await index.put([1, 2, 3].map((i) => hotEntry(`e${i}`, NOW - 60 * DAY + i * 1000)));
  return { index, snapshots: pitrSnapshots() };
}

const from = NOW - DAY;
const at = new Date(from).toISOString();

test('with markers at or before --from but none restorable, the warning says no restorable snapshot and names eventlake snapshot list', async () => {
  world.markers = [marker(3, 5, 2), marker(3, 2, 2)];
  world.tables.set(3, pitrOff);
  const plan = await planRebuild(await deps(), { projection: 'balances', from });
  assert.equal(plan.warnings, [`no restorable snapshot of balances at or before ${at} (eventlake snapshot list shows why): starting from an empty projection`]);
});

test('with no marker at or before --from, the warning says there is no snapshot', async () => {
  world.markers = [marker(1, 0.5, 2)];
  world.tables.set(1, pitrSince(35));
  const plan = await planRebuild(await deps(), { projection: 'balances', from });
  assert.equal(plan.warnings, [`no snapshot of balances at or before ${at}: starting from an empty projection`]);
});

test('a plan verified against the snapshot it starts from is refused when no snapshot at or before --from is restorable', async () => {
  world.markers = [marker(1, 45, 2)];
  world.tables.set(1, pitrSince(35));
  const ports = await deps();
  const error = await rejects(() => planRebuild(ports, { projection: 'balances', from, against: ['log', 'snapshot'] }), InvalidArgumentError);
  assert.is(error.message, 'against: snapshot: a rebuild is verified against the snapshot it starts from, and there is no restorable snapshot of balances ' +
    `at or before ${at} (eventlake snapshot list shows why): leave snapshot out of --against (the rebuild starts from an empty projection), or give a ` +
    '--from at or after a restorable snapshot');
});

test.run();
