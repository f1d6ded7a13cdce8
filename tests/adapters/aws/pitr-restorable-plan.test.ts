// A rebuild plan on AWS starts from a snapshot DynamoDB can still restore, or replays the log from its start: never
// from a marker whose restore would fail only after the rebuild created a generation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planRebuild } from '../../../projections/rebuild/plan.ts';
import { MemoryEventIndex } from '../../support/fakes/memory-event-index.ts';
import { hotEntry } from '../../support/index-entries.ts';
import { DAY, marker, NOW, pitrSince, pitrSnapshots, resetWorld, world } from './pitr-restorable-fake.ts';

const test = suite('rebuild plan over PITR markers');
test.before.each(resetWorld);

async function indexOfThree(): Promise<MemoryEventIndex> {
  const index = new MemoryEventIndex();
  await index.put([1, 2, 3].map((i) => hotEntry(`e${i}`, NOW - 60 * DAY + i * 1000)));
  return index;
}

test('with no restorable marker at or before --from the plan replays every event from the start of the log', async () => {
  world.markers = [marker(1, 45, 2), marker(2, 20, 2)];
  world.tables.set(1, pitrSince(35)); // generation 2 was dropped
  const plan = await planRebuild({ index: await indexOfThree(), snapshots: pitrSnapshots() }, { projection: 'balances', from: NOW - DAY });
  assert.equal([plan.snapshot, plan.baseMark, plan.events.count], [undefined, 0, 3]);
  assert.equal(plan.warnings, [`no restorable snapshot of balances at or before ${new Date(NOW - DAY).toISOString()} (eventlake snapshot list shows why): starting from an empty projection`]);
});

test.run();
