// A rebuild plan's warning about a snapshot no longer restorable names `snapshot list` with the global options the
// rebuild was given, as every other hint does: bare, pasted after `--target aws rebuild`, it listed the local lake's.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { registerRebuildCommand } from '../../cli/commands/rebuild.ts';
import { renderRemoteReport } from '../../cli/commands/rebuild-remote-render.ts';
import { followUp } from '../../cli/follow-up.ts';
import type { GlobalOptions } from '../../cli/options.ts';
import type { SnapshotInfo, SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('rebuild plan: the snapshot list hint');

const GONE: SnapshotInfo = { id: 'pitr-1', projection: 'balances', generation: 1, takenAt: 1_000, highWaterMark: 1, notRestorable: 'table gone' };

/** What `eventlake ARGS` (a dry-run rebuild) prints, its snapshot store holding only GONE. */
async function printed(args: string[]): Promise<string> {
  const program = new Command('eventlake').option('--data-dir <dir>').exitOverride();
  const decorate = (name: string, port: unknown) => (name !== 'snapshots' ? port : Object.assign(Object.create(port as SnapshotStore) as SnapshotStore, {
    list: async () => [GONE],
    latestAtOrBefore: async () => undefined,
  }));
  registerRebuildCommand(program, (opts: GlobalOptions) => openLocalEventlake({ dataDir: opts.dataDir, decorate: decorate as never }));
  const lines: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((text: string) => lines.push(text) > 0) as typeof process.stdout.write;
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  return lines.join('');
}

test('a local dry run names snapshot list with the --data-dir given', async () => {
  const dataDir = await emittedDataDir([SAMPLES['cash_deposit']!]);
  const out = await printed(['--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', '2024-01-01T00:00:00Z', '--dry-run']);
  assert.match(out, `(eventlake --data-dir ${dataDir} snapshot list shows why)`);
});

test('the rebuild function\'s plan warning is printed with the global options given', () => {
  const plan = {
    projection: 'balances', from: 2_000, baseMark: 0, mark: 1, events: { count: 1, bytes: 1, objects: 1 }, tiers: [],
    restores: { GLACIER: { objects: 0, bytes: 0 }, DEEP_ARCHIVE: { objects: 0, bytes: 0 } }, estimates: [],
    warnings: ['no restorable snapshot of balances at or before 1970-01-01T00:00:02.000Z (eventlake snapshot list shows why): starting from an empty projection'],
  };
  const command = followUp({ dataDir: '/srv/lake', schemaFolders: [], target: 'aws', config: '/etc/lake.json' }, {});
  const lines = renderRemoteReport({ status: 'planned', plan }, command) ?? [];
  assert.match(lines.join('\n'), '(eventlake --data-dir /srv/lake --config /etc/lake.json --target aws snapshot list shows why)');
});

test.run();
