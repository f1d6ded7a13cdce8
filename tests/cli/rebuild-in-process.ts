// `eventlake ARGS` run in this process, with main()'s global options, its rebuild command opening the data dir with
// ports the suite changes: a snapshot store made to lose a snapshot at a chosen moment, a projection store that reads
// checkpoints back otherwise.
import { Command } from 'commander';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import type { LocalEventlakeOptions } from '../../projections/runtime.ts';
import { registerRebuildCommand } from '../../cli/commands/rebuild.ts';
import type { GlobalOptions } from '../../cli/options.ts';

/** Run `args`, the rebuild's ports decorated by `decorate`; stdout is swallowed, a refusal rejects. */
export async function eventlakeDecorated(args: string[], decorate: NonNullable<LocalEventlakeOptions['decorate']>): Promise<void> {
  const program = new Command('eventlake').option('--data-dir <dir>').option('--schemas <dir>', '', (v: string, prev: string[] = []) => [...prev, v])
    .option('--extensions <file>').option('--target <target>').option('--config <file>').exitOverride();
  const open = (opts: GlobalOptions) => openLocalEventlake({ dataDir: opts.dataDir, schemaFolders: opts.schemaFolders, decorate });
  registerRebuildCommand(program, open);
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
}

/** Run `args`, the rebuild's snapshot store being `change(store)`; stdout is swallowed, a refusal rejects. */
export function eventlake(args: string[], change: (store: SnapshotStore) => Partial<SnapshotStore>): Promise<void> {
  return eventlakeDecorated(args, (name, port) => {
    if (name !== 'snapshots') return port;
    const store = port as unknown as SnapshotStore;
    return Object.assign(Object.create(store) as SnapshotStore, change(store)) as unknown as typeof port;
  });
}
