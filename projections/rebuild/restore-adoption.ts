// Adopting the snapshot restore a killed rebuild left behind. A rebuild writes its generation's first checkpoint once
// the snapshot is restored into it; killed before (a Lambda timeout, SIGKILL of a CLI run), it leaves a generation
// without one. A local restore ends with the process, but a DynamoDB PITR restore goes on for up to hours, and its
// table cannot be deleted until it is done. So the next run asks the snapshot store what that generation is as a
// restore: one of its own plan's snapshot is adopted (waited for, never asked again), one of another snapshot that
// still runs is refused until it ends, one of another that is done is dropped, and anything else is left to the rules
// an unfinished generation always followed.

import { TransientError } from '../../domain/errors.ts';
import type { SnapshotInfo, SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import type { RebuildCheckpoint } from './replay.ts';

/** How long this call may wait for a restore (a rebuild function's invocation has minutes left, the restore hours). */
export interface RestoreWait {
  readonly timeoutMs?: number;
}

/** What a generation's storage is as a restore (`RebuildSnapshots.restoreOf`). */
export interface GenerationRestore {
  /** A restore of the snapshot asked about, or of another one. */
  readonly of: 'this' | 'another';
  /** Still restoring: its storage cannot be dropped until it is done. */
  readonly running: boolean;
  /** Where, for an operator: `table eventlake-balances-g7`. */
  readonly storage: string;
}

/**
 * The snapshot store a rebuild runs against. One whose restores may outlive the call that asks for them (DynamoDB
 * PITR) bounds its wait by `wait` and says what a generation is as a restore; the others need neither.
 */
export interface RebuildSnapshots extends SnapshotStore {
  restore(snapshot: SnapshotInfo, generation: number, wait?: RestoreWait): Promise<void>;
  /** What `generation`'s storage is as a restore; undefined when it is none (no storage yet, or not a restore). */
  restoreOf?(snapshot: SnapshotInfo, generation: number): Promise<GenerationRestore | undefined>;
}

/**
 * What a rebuild does with `generation` (not live, not resumed) as a restore: `'adopt'` a restore of `snapshot`,
 * running or done; `'drop'` a finished restore of another snapshot; undefined when it is no restore, or a finished one
 * holding its own rebuild's checkpoint (the rules for any other generation apply). A restored table holds the
 * checkpoint it copied from its source generation (often `promoted`) until the rebuild writes its own: that one is no
 * rebuild's of this generation, and neither keeps the generation nor stands for one. Throws `TransientError` naming the fix while it is a
 * restore of another snapshot still running, which nothing can drop yet.
 */
export async function restoreLeftover(snapshots: RebuildSnapshots, projection: string, snapshot: SnapshotInfo, generation: number, checkpoint?: RebuildCheckpoint): Promise<'adopt' | 'drop' | undefined> {
  if (!snapshots.restoreOf || checkpoint?.snapshotId === snapshot.id) return undefined;
  const found = await snapshots.restoreOf(snapshot, generation);
  if (!found) return undefined;
  // Any checkpoint but one naming this very snapshot was copied: a restore is what the table is.
  if (found.of === 'this') return 'adopt';
  if (found.running) {
    throw new TransientError(`${projection} generation ${generation} is being restored from another snapshot than this plan's (${snapshot.id}) ` +
      `into ${found.storage}, by a rebuild stopped before the restore was done, and cannot be dropped until it is: run this rebuild ` +
      `again once that restore is done (${found.storage} is ACTIVE; a big one takes hours), and it drops that generation then`);
  }
  // Dropping is for good: only once the checkpoint it holds is shown to be its source's.
  return checkpoint === undefined || (await copiedCheckpoint(snapshots, projection, generation, checkpoint)) ? 'drop' : undefined;
}

/**
 * Whether the checkpoint of a restored generation came with the restore. Its own rebuild's names the snapshot it
 * restored into it (none when it restored nothing, and then its table is no restore).
 */
async function copiedCheckpoint(snapshots: RebuildSnapshots, projection: string, generation: number, checkpoint: RebuildCheckpoint): Promise<boolean> {
  if (checkpoint.snapshotId === null) return true;
  const named = (await snapshots.list(projection)).find((s) => s.id === checkpoint.snapshotId);
  // Without its marker nothing shows the checkpoint is not the generation's own: it is kept, as a finished one is.
  return named !== undefined && (await snapshots.restoreOf?.(named, generation))?.of !== 'this';
}
