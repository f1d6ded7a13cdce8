// `eventlake snapshot take|list|prune`: consistent copies of the live projections, tagged with their high-water mark.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import { globalOptions, knownProjection, readingOptions, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';
import { pruneRule, pruneSnapshots, type PruneOutcome } from './snapshot-prune.ts';
import { takeSnapshots } from './snapshot-take.ts';

/** `notRestorable`: the column saying why a snapshot can no longer be restored, when any of those printed is (AWS). */
const row = (s: SnapshotInfo, notRestorable = false) => ({
  id: s.id, projection: s.projection, generation: s.generation, takenAt: new Date(s.takenAt).toISOString(),
  highWaterMark: s.highWaterMark, bytes: s.bytes, ...(notRestorable ? { notRestorable: s.notRestorable } : {}),
});
// A table takes its header from its first row: the column is on every row or on none.
const anyNotRestorable = (snapshots: readonly SnapshotInfo[]) => snapshots.some((s) => s.notRestorable !== undefined);

/** The projections named by `--projection` (every one when absent); an unknown name is an error. */
function chosen(local: LocalEventlake, names: readonly string[] | undefined): string[] {
  const known = local.projections.map((p) => p.name);
  for (const n of names ?? []) knownProjection(local.projections, n);
  return names && names.length > 0 ? [...names] : known;
}

/** One row per snapshot a prune removed (or would remove) and kept, each projection oldest first. */
function pruneRows(outcomes: readonly PruneOutcome[], dryRun: boolean) {
  const action = (removed: boolean) => (removed ? (dryRun ? 'would remove' : 'removed') : 'kept');
  const column = anyNotRestorable(outcomes.flatMap((o) => [...o.removed, ...o.kept]));
  return outcomes.flatMap((o) => [
    ...o.removed.map((s) => ({ action: action(true), ...row(s, column) })),
    ...o.kept.map((s) => ({ action: action(false), ...row(s, column) })),
    // The same columns as a snapshot's: a table takes its header from the first row.
    ...o.leftovers.map((l) => ({
      action: 'removed leftover', id: l.id, projection: o.projection, generation: null, takenAt: null, highWaterMark: null, bytes: l.bytes,
      ...(column ? { notRestorable: null } : {}),
    })),
  ]);
}

/** Registers `snapshot take`, `snapshot list` and `snapshot prune` (`--projection`, `--json`). */
export function registerSnapshotCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  const snapshot = program.command('snapshot').description('snapshots of projections: consistent copies to rebuild from');
  snapshot
    .command('take')
    .description('catch up with the log, then snapshot the live generation of each projection')
    .option('--projection <name...>', 'only these projections (default: all)')
    .option('--json', 'one JSON object per line')
    .action(async (options: { projection?: string[]; json?: boolean }, command: Command) => {
      const opts = globalOptions(command);
      const local = await open(opts);
      try {
        const names = chosen(local, options.projection);
        await local.catchUp();
        // Read the mark before copying: the copy then holds at least every event up to it (maybe a few more).
        const highWaterMark = await local.dispatchedPosition();
        const taken = await takeSnapshots(local, names, highWaterMark, opts);
        printRows(taken.map((s) => row(s)), options.json ?? false);
      } finally {
        await local.close();
      }
    });
  snapshot
    .command('list')
    .description('snapshots, oldest first')
    .option('--projection <name...>', 'only these projections (default: all)')
    .option('--json', 'one JSON object per line')
    .action(async (options: { projection?: string[]; json?: boolean }, command: Command) => {
      const local = await open(readingOptions(command));
      try {
        const all: SnapshotInfo[] = [];
        for (const name of chosen(local, options.projection)) all.push(...(await local.snapshots.list(name)));
        const column = anyNotRestorable(all);
        printRows(all.map((s) => row(s, column)), options.json ?? false);
      } finally {
        await local.close();
      }
    });
  snapshot
    .command('prune')
    .description('remove old snapshots: all but the newest N of each projection, or those taken before T (never the newest), and always those no longer restorable')
    .option('--keep <N>', 'keep the newest N restorable snapshots of each projection (N >= 1)')
    .option('--older-than <T>', 'remove snapshots taken before T (ISO-8601 or epoch seconds); the newest restorable one always stays')
    .option('--projection <name...>', 'only these projections (default: all)')
    .option('--dry-run', 'print what would be removed and kept; remove nothing')
    .option('--json', 'one JSON object per line')
    .action(async (options: { keep?: string; olderThan?: string; projection?: string[]; dryRun?: boolean; json?: boolean }, command: Command) => {
      const rule = pruneRule(options);
      const dryRun = options.dryRun ?? false;
      // Even when it removes: a mistyped --data-dir holds nothing to prune, and is refused rather than made a data dir.
      const local = await open(readingOptions(command));
      try {
        const outcomes = await pruneSnapshots(local, chosen(local, options.projection), rule, dryRun);
        printRows(pruneRows(outcomes, dryRun), options.json ?? false);
      } finally {
        await local.close();
      }
    });
}
