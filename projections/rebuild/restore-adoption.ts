// Adopting the snapshot restore a killed rebuild left behind. A rebuild writes its generation's first checkpoint once
// the snapshot is restored into it; killed before (a Lambda timeout, SIGKILL of a CLI run), it leaves a generation
// without one. A local restore ends with the process, but a DynamoDB PITR restore goes on for up to hours, and its
// table cannot be deleted until it is done. So the next run asks the snapshot store what that generation is as a
// restore: one of its own plan's snapshot is adopted (waited for, never asked again), one of another snapshot that
// still runs is refused until it ends, and anything else is dropped as an unfinished generation always was.

import { TransientError } from '../../domain/errors.ts';
import type { SnapshotInfo, SnapshotStore } from '../../domain/ports/snapshot-store.ts';

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
 * Whether `generation`, which holds no checkpoint of its rebuild, is a restore of `snapshot` to adopt (running or
 * done). False when it is no restore, or a finished one of another snapshot: it may be dropped. Throws
 * `TransientError` naming the fix while it is a restore of another snapshot still running, which nothing can drop yet.
 */
export async function adoptableRestore(snapshots: RebuildSnapshots, projection: string, snapshot: SnapshotInfo, generation: number): Promise<boolean> {
  const found = await snapshots.restoreOf?.(snapshot, generation);
  if (found?.of === 'this') return true;
  if (found?.running) {
    throw new TransientError(`${projection} generation ${generation} is being restored from another snapshot than this plan's (${snapshot.id}) ` +
      `into ${found.storage}, by a rebuild stopped before the restore was done, and cannot be dropped until it is: run this rebuild ` +
      `again once that restore is done (${found.storage} is ACTIVE; a big one takes hours), and it drops that generation then`);
  }
  return false;
}
