// What `repairIndex` does to the state outside index.db that names index positions, when the rebuilt index gives
// events other positions: dispatch checkpoints moved back, generations beside the live ones dropped, snapshots moved aside.

import Database from 'better-sqlite3';
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointKind } from '../../projections/checkpoint-kinds.ts';
import { fsyncDirSync } from './durable-fs.ts';
import type { OldPositions } from './index-repair-files.ts';
import type { DataDirLayout } from './layout.ts';
import { SqliteCheckpointStore } from './sqlite-checkpoint-store.ts';
import { SqliteProjectionStore } from './sqlite-projection-store.ts';

/** A dispatch checkpoint the repair moved back. */
export interface CheckpointReset {
  readonly name: string;
  /** Its position in the old index. */
  readonly before: number;
  /**
   * Its position now; every later event is re-dispatched. The last archived event's (0 without archived events), or,
   * when the old index is readable and this checkpoint had dispatched all of it, the last old position of an archived
   * event when that is later (the value that holds for both indexes, see `forgetPositions`).
   */
  readonly after: number;
  /**
   * Archived events it had not dispatched, at least (`archivedThrough - before` when positive; a readable old index
   * it had dispatched whole: 0). A tail stops at an archived event it cannot read, so this happens only when the
   * lifecycle archived an event before dispatch reached it; those events now count as dispatched and no projection
   * has them: `eventlake rebuild` of each projection applies them (restoring what it must).
   */
  readonly archivedNotDispatched: number;
}

/** A generation beside the live one that the repair dropped (its replay progress is counted in old positions). */
export interface DroppedRebuild {
  readonly projection: string;
  readonly generation: number;
}

/** What the repair did to stored positions. */
export interface PositionsReport {
  readonly dispatchCheckpointsReset: readonly CheckpointReset[];
  readonly rebuildsDropped: readonly DroppedRebuild[];
  /** Where the snapshots folder went (undefined: there was none, or it was empty). */
  readonly snapshotsMovedTo: string | undefined;
  /** Snapshots (sidecars) in it. */
  readonly snapshotsMoved: number;
}

/** Nothing changed: the rebuilt index keeps every old position. */
export const POSITIONS_KEPT: PositionsReport = { dispatchCheckpointsReset: [], rebuildsDropped: [], snapshotsMovedTo: undefined, snapshotsMoved: 0 };

/**
 * Deal with every stored position of the old index. Why each is safe:
 * - dispatch.db holds other names than dispatch checkpoints (projections/checkpoint-kinds.ts): leases (a rebuild's,
 *   the archive run's) are times, not positions, and every process is stopped, so one left is stale: cleared, not
 *   reported; the scheduled compaction's checkpoint is an hour: left as it is; the background compaction's watermark
 *   holds a position: cleared, so its next run looks at every hour once. Any name eventlake does not write is taken
 *   for a caller's own DispatchTail;
 * - dispatch checkpoints (dispatch.db) go back to `archivedThrough`, so the next drain re-dispatches every hot event:
 *   the projection store applies each event once per generation by its idempotency key, so re-dispatched events
 *   change nothing. Not to 0: the tail reads every event it dispatches and cannot read an archived object, so it
 *   would stop at the first archived event for good; and a tail that was not stuck had passed every archived event
 *   (were it still before one, it could never have got past it), so counting them as dispatched skips nothing;
 * - but when the old index is readable, the checkpoint is written while it is still index.db, and a repair stopped
 *   before the swap leaves the two together: in its positions an archived event may come after `archivedThrough`, and
 *   the tail would stop there for good. A checkpoint that had dispatched the whole old index goes to
 *   `max(archivedThrough, old.lastArchived)` instead, which holds for both: no archived event after it in either, and
 *   every event at or before it in either was dispatched (unless the old index lacks one of them: then
 *   `archivedThrough`). The caller makes new positions start after it (`reservePositionsThrough`);
 * - every generation beside the live one (an unfinished rebuild, one kept with --no-promote or --until, a retired
 *   one) records its progress in projections.db as positions: resumed, topped up or promoted, it would continue from
 *   a position that now names other events. Each is dropped and the rebuild pointer (dispatch.db
 *   `rebuild:<projection>`) cleared, so the next `eventlake rebuild` starts afresh; the live generation is never touched;
 * - snapshots record a high-water mark (a position) that rebuilds trust: the folder is renamed aside, not deleted,
 *   so an operator can still read it, and no rebuild plans from it.
 * Run before the new index takes the old one's place: a crash in between leaves the old index with reset state,
 * which only costs a re-dispatch.
 */
export async function forgetPositions(layout: DataDirLayout, stamp: string, archivedThrough: number, old?: OldPositions): Promise<PositionsReport> {
  const { dispatchCheckpointsReset, rebuildsDropped } = await resetCheckpoints(layout, archivedThrough, old);
  const moved = moveSnapshotsAside(layout, stamp);
  return { dispatchCheckpointsReset, rebuildsDropped, ...moved };
}

async function resetCheckpoints(layout: DataDirLayout, archivedThrough: number, old: OldPositions | undefined): Promise<Pick<PositionsReport, 'dispatchCheckpointsReset' | 'rebuildsDropped'>> {
  if (!existsSync(layout.dispatchDb)) return { dispatchCheckpointsReset: [], rebuildsDropped: [] };
  const checkpoints = new SqliteCheckpointStore(layout.dispatchDb);
  const dispatchCheckpointsReset: CheckpointReset[] = [];
  const rebuildsDropped: DroppedRebuild[] = [];
  try {
    for (const { name, position } of storedCheckpoints(layout.dispatchDb)) {
      const kind = checkpointKind(name);
      if (kind === 'compaction') continue;
      if (kind === 'lease' || kind === 'rebuild-pointer' || kind === 'hot-watermark') {
        if (position !== 0) await checkpoints.set(name, 0);
        continue;
      }
      // `dispatch`, or a name eventlake does not write: a caller's own DispatchTail, whose checkpoint is a position.
      if (position === 0 && archivedThrough === 0) continue;
      const passedOld = old !== undefined && position >= old.lastPosition;
      const after = passedOld ? heldByBoth(archivedThrough, old) : archivedThrough;
      // It passed `position` events at most, so at least the rest of the archived ones it never dispatched.
      const archivedNotDispatched = passedOld ? 0 : Math.max(0, archivedThrough - position);
      dispatchCheckpointsReset.push({ name, before: position, after, archivedNotDispatched });
      await checkpoints.set(name, after);
    }
  } finally {
    checkpoints.close();
  }
  rebuildsDropped.push(...(await dropBesideLive(layout)));
  return { dispatchCheckpointsReset, rebuildsDropped };
}

/**
 * The checkpoint for a tail that had dispatched the whole old index, valid in both indexes; `archivedThrough` when a
 * hot event up to it is one the old index lacks (it was never dispatched, and must not be counted as dispatched).
 */
function heldByBoth(archivedThrough: number, old: OldPositions): number {
  const after = Math.max(archivedThrough, old.lastArchived);
  return old.firstUnindexed !== 0 && old.firstUnindexed <= after ? archivedThrough : after;
}

/** Every projection with a generation row in projections.db (the store has no listing of names). */
function projectionNames(file: string): string[] {
  const db = new Database(file, { fileMustExist: true });
  try {
    return db.prepare('SELECT DISTINCT name FROM generations ORDER BY name').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** Every named checkpoint of dispatch.db (the store has no listing: it is read here, on its own connection). */
function storedCheckpoints(file: string): { name: string; position: number }[] {
  const db = new Database(file, { fileMustExist: true });
  try {
    return db.prepare('SELECT name, position FROM checkpoints ORDER BY name').all() as { name: string; position: number }[];
  } finally {
    db.close();
  }
}

/**
 * Drop every generation that is not live, of every projection in projections.db. Why all of them and not only the one
 * the rebuild pointer names: kept rebuilds are never dropped by a later rebuild, so several may sit beside the live one.
 */
async function dropBesideLive(layout: DataDirLayout): Promise<DroppedRebuild[]> {
  if (!existsSync(layout.projectionsDb)) return [];
  const store = new SqliteProjectionStore(layout.projectionsDb);
  const dropped: DroppedRebuild[] = [];
  try {
    for (const projection of projectionNames(layout.projectionsDb)) {
      const live = await store.liveGeneration(projection);
      for (const generation of await store.listGenerations(projection)) {
        if (generation === live) continue;
        await store.dropGeneration(projection, generation);
        dropped.push({ projection, generation });
      }
    }
  } finally {
    store.close();
  }
  return dropped;
}

function moveSnapshotsAside(layout: DataDirLayout, stamp: string): Pick<PositionsReport, 'snapshotsMovedTo' | 'snapshotsMoved'> {
  const names = existsSync(layout.snapshots) ? readdirSync(layout.snapshots, { recursive: true }).map(String) : [];
  if (names.length === 0) return { snapshotsMovedTo: undefined, snapshotsMoved: 0 };
  const to = join(layout.root, `snapshots.before-index-repair-${stamp}`);
  renameSync(layout.snapshots, to);
  fsyncDirSync(layout.root);
  return { snapshotsMovedTo: to, snapshotsMoved: names.filter((n) => n.endsWith('.json')).length };
}
