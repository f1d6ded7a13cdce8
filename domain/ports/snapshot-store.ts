// Port: snapshots of a projection (snapshot files locally, DynamoDB point-in-time recovery in AWS).

/** One snapshot: when it was taken and which events it contains. */
export interface SnapshotInfo {
  readonly id: string;
  readonly projection: string;
  /** Generation the snapshot was taken of. */
  readonly generation: number;
  /** Wall time of the snapshot, epoch ms. */
  readonly takenAt: number;
  /**
   * Index position up to which every event was applied when the snapshot was taken.
   * Events after it may also be inside (idempotency keys travel with the snapshot), never fewer.
   */
  readonly highWaterMark: number;
  readonly bytes?: number;
  /**
   * Why the snapshot can no longer be restored, where its store can tell: on AWS, when DynamoDB's PITR history no
   * longer covers it (`table gone`, `PITR off`, `before PITR's earliest restorable time <ISO>`). Set by `list` only,
   * never recorded; `latestAtOrBefore` never returns such a snapshot, and `eventlake snapshot prune` removes it.
   * Absent: restorable as far as the store knows (always, for snapshot files).
   */
  readonly notRestorable?: string;
}

/**
 * Takes and restores consistent copies of a projection.
 *
 * @example
 * const snap = await snapshots.take('balances', gen, checkpoint);
 * const base = await snapshots.latestAtOrBefore('balances', Date.parse('2024-03-01T00:00:00Z'));
 * const next = await store.createGeneration('balances');
 * if (base) await snapshots.restore(base, next);
 */
export interface SnapshotStore {
  /**
   * Copy `generation` as it is now, tagged with `highWaterMark`: a position every event of which the generation has
   * already applied. Read it before copying, from the dispatch checkpoint (`runtime.dispatchedPosition()`), never from
   * the index's last position: a mark above what was applied makes a rebuild from the snapshot skip those events.
   */
  take(projection: string, generation: number, highWaterMark: number): Promise<SnapshotInfo>;
  /** Snapshots of a projection, oldest first, those no longer restorable too (with `notRestorable`). */
  list(projection: string): Promise<SnapshotInfo[]>;
  /** The newest restorable snapshot taken at or before `atMs`, if any. */
  latestAtOrBefore(projection: string, atMs: number): Promise<SnapshotInfo | undefined>;
  /** Fill the (empty) `generation` of the projection from the snapshot. */
  restore(snapshot: SnapshotInfo, generation: number): Promise<void>;
  /**
   * Remove a snapshot for good: it is no longer listed, and its data goes (a file locally, a marker on AWS). One
   * already gone is no error, so a prune interrupted half-way finishes when run again. Callers hold the projection's
   * rebuild lease, so no rebuild is restoring it meanwhile (`eventlake snapshot prune`).
   */
  remove(snapshot: SnapshotInfo): Promise<void>;
  /**
   * Reclaim what a take or remove killed half-way left of a projection's snapshots and no listing shows (local data
   * files without their sidecar). Absent where nothing can be left over (AWS keeps one marker per snapshot).
   */
  removeLeftovers?(projection: string): Promise<readonly { readonly id: string; readonly bytes: number }[]>;
}
