// `eventlake rebuild` whose planned snapshot a prune removed before the rebuild took its lease: the TRANSIENT error
// says to run it again with the exact command, the rebuild's own options and the global ones as they were given.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { resolve } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import { registerRebuildCommand } from '../../cli/commands/rebuild.ts';
import type { GlobalOptions } from '../../cli/options.ts';
import { PlannedSnapshotRemovedError } from '../../projections/rebuild/start-generation.ts';
import { rejects } from '../support/async.ts';
import { buildLocalScenario } from '../support/fakes/local-scenario.ts';

const test = suite('eventlake rebuild: a planned snapshot pruned before the lease');
const SCHEMAS = 'tests/security/fixtures/schemas';

/** A snapshot store whose snapshot, once a plan has chosen it, is pruned at once (before the rebuild takes its lease). */
function prunedAfterThePlan(store: SnapshotStore): SnapshotStore {
  return Object.assign(Object.create(store) as SnapshotStore, {
    latestAtOrBefore: async (projection: string, atMs: number) => {
      const chosen = await store.latestAtOrBefore(projection, atMs);
      if (chosen) await store.remove(chosen);
      return chosen;
    },
  });
}

/** `eventlake ARGS` with main()'s global options, its rebuild command opening the data dir with that snapshot store. */
async function eventlake(args: string[]): Promise<void> {
  const program = new Command('eventlake').option('--data-dir <dir>').option('--schemas <dir>', '', (v: string, prev: string[] = []) => [...prev, v])
    .option('--extensions <file>').option('--target <target>').option('--config <file>').exitOverride();
  const open = (opts: GlobalOptions) => openLocalEventlake({
    dataDir: opts.dataDir, schemaFolders: opts.schemaFolders,
    decorate: (name, port) => (name === 'snapshots' ? prunedAfterThePlan(port as unknown as SnapshotStore) as unknown as typeof port : port),
  });
  registerRebuildCommand(program, open);
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
}

test('the error names the exact rebuild command to run again: its options and the global ones as given', async () => {
  const { dataDir, endOfDay } = await buildLocalScenario({ days: 2, eventsPerDay: 10 });
  const from = new Date(endOfDay(1)).toISOString();
  const own = ['rebuild', '--projection', 'balances', '--from', from, '--restore-tier', 'Bulk', '--no-promote'];
  const error = await rejects(() => eventlake(['--data-dir', dataDir, '--schemas', SCHEMAS, '--target', 'local', ...own]), PlannedSnapshotRemovedError);
  assert.is(error.code, 'TRANSIENT');
  assert.match(error.message, /^snapshot \S+ of balances, the one at or before --from this rebuild planned to start from, was removed after the plan/);
  assert.ok(error.message.endsWith(`: run the same command again, which plans from the snapshots there are now: eventlake --data-dir ${dataDir} --schemas ${resolve(SCHEMAS)} --target local ${own.join(' ')}`), error.message);
});

test.run();
