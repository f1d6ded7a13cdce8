// `eventlake rebuild --against snapshot` verifies against the snapshot the rebuild started from, by id: pruned after the
// rebuild released its lease and before its verification took it, the refusal names the rebuild's own --against and
// the commands for the generation it kept, never another snapshot nor an option rebuild does not have (`snapshotAt`).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RebuildSnapshotGoneError } from '../../projections/rebuild/snapshot-errors.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import { rejects } from '../support/async.ts';
import { buildLocalScenario } from '../support/fakes/local-scenario.ts';
import { eventlake } from './rebuild-in-process.ts';

const test = suite('eventlake rebuild: its snapshot pruned before its verification against it');

test('its snapshot pruned between the rebuild and its verification against it: --against is refused naming the generation kept and the commands for it', async () => {
  const { dataDir, endOfDay } = await buildLocalScenario({ days: 2, eventsPerDay: 10 });
  const from = new Date(endOfDay(1)).toISOString();
  const own = ['rebuild', '--projection', 'balances', '--from', from, '--against', 'log,snapshot'];
  // Removed once restored into the rebuild's generation: by the verification, as a prune in between would have left it.
  const error = await rejects(() => eventlake(['--data-dir', dataDir, ...own], (store) => ({
    restore: async (snapshot: SnapshotInfo, generation: number) => { await store.restore(snapshot, generation); await store.remove(snapshot); },
  })), RebuildSnapshotGoneError);
  const g = error.generation;
  const el = `eventlake --data-dir ${dataDir}`;
  assert.is(error.message, `--against: snapshot ${error.snapshotId} of balances, the one generation ${g} was rebuilt from, was removed after the rebuild ` +
    `(an eventlake snapshot prune ran before its verification), so it cannot be verified against: generation ${g} is finished and kept, not promoted ` +
    `(no rebuild drops it: check it with ${el} verify --projection balances --generation ${g}, promote it with ${el} generations promote ${g} ` +
    `--projection balances, free it with ${el} generations drop ${g} --projection balances)`);
});

test.run();
