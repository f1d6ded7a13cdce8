// `eventlake rebuild` whose planned snapshot a prune removed before the rebuild took its lease: the TRANSIENT error
// says to run it again with the exact command, the rebuild's own options and the global ones as they were given.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import type { SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import { PlannedSnapshotRemovedError } from '../../projections/rebuild/start-generation.ts';
import { rejects } from '../support/async.ts';
import { buildLocalScenario } from '../support/fakes/local-scenario.ts';
import { eventlake } from './rebuild-in-process.ts';

const test = suite('eventlake rebuild: a planned snapshot pruned before the lease');
const SCHEMAS = 'tests/security/fixtures/schemas';

/** Once a plan has chosen its snapshot, it is pruned at once (before the rebuild takes its lease). */
const prunedAfterThePlan = (store: SnapshotStore): Partial<SnapshotStore> => ({
  latestAtOrBefore: async (projection: string, atMs: number) => {
    const chosen = await store.latestAtOrBefore(projection, atMs);
    if (chosen) await store.remove(chosen);
    return chosen;
  },
});

test('the error names the exact rebuild command to run again: its options and the global ones as given', async () => {
  const { dataDir, endOfDay } = await buildLocalScenario({ days: 2, eventsPerDay: 10 });
  const from = new Date(endOfDay(1)).toISOString();
  const own = ['rebuild', '--projection', 'balances', '--from', from, '--restore-tier', 'Bulk', '--no-promote'];
  const error = await rejects(() => eventlake(['--data-dir', dataDir, '--schemas', SCHEMAS, '--target', 'local', ...own], prunedAfterThePlan), PlannedSnapshotRemovedError);
  assert.is(error.code, 'TRANSIENT');
  assert.match(error.message, /^snapshot \S+ of balances, the one at or before --from this rebuild planned to start from, was removed after the plan/);
  assert.ok(error.message.endsWith(`: run the same command again, which plans from the snapshots there are now: eventlake --data-dir ${dataDir} --schemas ${resolve(SCHEMAS)} --target local ${own.join(' ')}`), error.message);
});

test.run();
