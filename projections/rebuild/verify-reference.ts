// The reference a generation is verified against (verify.ts): the log, the live generation or a snapshot read back,
// and the log's events that bring a state from its own mark to the one both sides are compared at. Apart from the
// comparison so that what each side is, and how it is advanced, reads in one place.

import { namingCommands } from '../../domain/command-spelling.ts';
import { InvalidArgumentError, TransientError } from '../../domain/errors.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import type { AppliedRecordSet, FoldState } from '../../domain/projection.ts';
import { applyToState } from '../../domain/projection.ts';
import { PackedAppliedRecords } from './packed-applied-records.ts';
import type { PositionRange, RebuildDeps } from './deps.ts';
import { forReading } from './deps.ts';
import { mergedReplayOrder, openReplaySource, type ReplaySource } from './replay-source.ts';
import { liveHoldsUpTo, liveMark } from './settled-mark.ts';
import { RebuildSnapshotGoneError, SnapshotNotRestorableError } from './snapshot-errors.ts';
import { NoSnapshotToVerifyError } from './verify-refusals.ts';
import type { VerifyOptions } from './verify.ts';

type Deps = Pick<RebuildDeps, 'index' | 'store' | 'snapshots' | 'dispatchedPosition'>;

/**
 * A state verification compares (counters and rows) and may advance with the log's events: its idempotency records are
 * read only while it is advanced, and dropped (`clear`) once it is complete. A store's `ProjectionState` is one.
 */
export interface ComparedState extends FoldState {
  readonly applied: AppliedRecordSet & { clear(): void };
}

/**
 * The empty state a direct fold of the log starts from, its idempotency records packed: it holds one per event of the
 * log until the fold is complete (packed-applied-records.ts says what that saves).
 */
export function emptyLogFold(): ComparedState {
  return { counters: new Map(), rows: new Map(), applied: new PackedAppliedRecords() };
}

/** A state to compare with, the position up to which it holds every event, and what it is, for the report. */
export interface Reference {
  readonly state: ComparedState;
  readonly mark: number;
  /** Beyond `mark`, how far the state may hold events already (the live generation's, settled-mark.ts): compared there. */
  readonly holdsUpTo?: number;
  readonly description: string;
}

/**
 * The reference `options.against` names, read (a snapshot restored into a scratch generation, dropped after, under
 * `options.snapshotLease` when given: `RebuildInProgressError`, before anything is read, while another holds it).
 */
export async function referenceOf(deps: Deps, options: VerifyOptions): Promise<Reference> {
  const name = options.projection.name;
  if (options.against === 'log') {
    // No position here: the fold runs up to where the comparison takes place (`at`, which the report names), and a
    // retired generation is compared at the dispatch position, past its own mark.
    return { state: emptyLogFold(), mark: 0, description: 'a direct fold of the log' };
  }
  if (options.against === 'live') {
    const live = await deps.store.liveGeneration(name);
    if (live === options.generation) throw new InvalidArgumentError('against', `generation ${live} is the live one: verify it against the log or a snapshot`);
    const mark = await liveMark(deps);
    const holdsUpTo = await liveHoldsUpTo(deps);
    return { state: await deps.store.readState(name, live), mark, ...(holdsUpTo !== undefined ? { holdsUpTo } : {}), description: `live generation ${live} (dispatched up to ${mark})` };
  }
  // Chosen once the lease is held, not before: a prune runs under the same lease, so the snapshot chosen stays there
  // until it is read (chosen before, a prune in between would fail its restore half-way).
  const lease = await options.snapshotLease?.();
  if (!lease) return snapshotReference(deps, options);
  try {
    // The restore is one long call (DynamoDB PITR: minutes): the lease renews on a timer meanwhile.
    return await lease.during(() => snapshotReference(deps, options));
  } finally {
    await lease.release();
  }
}

/** The snapshot `options` names, restored into a scratch generation, read and the scratch dropped. */
async function snapshotReference(deps: Deps, options: VerifyOptions): Promise<Reference> {
  const name = options.projection.name;
  const snapshot = await chosenSnapshot(deps, options);
  // Restoring is the only way the port reads a snapshot back: into a scratch generation, dropped right after.
  const scratch = await deps.store.createGeneration(name);
  await restoreScratch(deps, snapshot, scratch, options);
  try {
    const state = await scratchState(deps, name, scratch);
    return { state, mark: snapshot.highWaterMark, description: `snapshot ${snapshot.id} (taken ${new Date(snapshot.takenAt).toISOString()}, mark ${snapshot.highWaterMark})` };
  } finally {
    await deps.store.dropGeneration(name, scratch);
  }
}

/**
 * A scratch generation's state, its idempotency records packed where the store streams them (they are what a state
 * restored from a snapshot of a large lake holds most of). Nothing else writes a scratch generation, so reading its
 * records apart from its counters and rows still reads one state.
 */
async function scratchState(deps: Deps, name: string, scratch: number): Promise<ComparedState> {
  if (!deps.store.forEachApplied) return deps.store.readState(name, scratch);
  const { counters, rows } = await deps.store.readState(name, scratch, { applied: false });
  const applied = new PackedAppliedRecords();
  await deps.store.forEachApplied(name, scratch, (id, memo) => applied.set(id, { id, memo }));
  return { counters, rows, applied };
}

/**
 * Restore the snapshot into the scratch generation, dropped again if that fails. A restore that outlasts its wait
 * (DynamoDB PITR: hours) cannot be dropped until it is done: then the error says so and names the generation left,
 * instead of the drop's refusal hiding why the verification stopped.
 */
async function restoreScratch(deps: Deps, snapshot: SnapshotInfo, scratch: number, options: VerifyOptions): Promise<void> {
  try {
    await deps.snapshots.restore(snapshot, scratch);
  } catch (error) {
    const left = await deps.store.dropGeneration(snapshot.projection, scratch).then(() => false, () => true);
    // Worded for a rebuild by the store (run it again); a verification's way forward is its own.
    if (!left && error instanceof SnapshotNotRestorableError) {
      throw options.snapshotId === undefined ? error.forVerification() : new RebuildSnapshotGoneError(snapshot.projection, options.generation, snapshot.id, error.refusal);
    }
    if (!left || !(error instanceof TransientError)) throw error;
    throw namingCommands((spell) => new TransientError(`snapshot ${snapshot.id} was not read back in time: its restore into scratch generation ${scratch} of ` +
      `${snapshot.projection} is still running. Verify again later (it restores the snapshot anew), and drop ` +
      `that generation once its restore is done: ${spell('generations', 'drop', String(scratch), '--projection', snapshot.projection)}`, { cause: error }));
  }
}

/** Events a fold reads and folds at once; `onBatch` runs after each. */
const FOLD_CHUNK = 2000;

/**
 * `state` (complete up to `from`, and ours to change: every state here is freshly read) plus the log's events in (from, to], in memory.
 * The entries come from the index a chunk at a time in replay order (openReplaySource): a fold of a million events held
 * a million entries at once before, the largest part of its peak memory once the idempotency records were packed.
 */
export async function advance<S extends ComparedState>(deps: Deps, options: VerifyOptions, state: S, from: number, to: number): Promise<S> {
  if (from >= to) return state;
  const ranges: PositionRange[] = [];
  const base = options.until === undefined ? to : Math.min(Math.max(options.baseMark ?? 0, from), to);
  if (base > from) ranges.push({ after: from, upTo: base });
  if (base < to) ranges.push({ after: base, upTo: to, ...(options.until !== undefined ? { until: options.until } : {}) });
  const sources: ReplaySource[] = [];
  for (const range of ranges) sources.push(await openReplaySource(deps.index, range, undefined));
  await options.ensureReadable?.([...new Set(sources.flatMap((source) => source.archivedKeys))]);
  // Merged, not one range after the other: the fold reads both ranges of an `until` rebuild in one replay order, as it always has.
  for await (const entries of mergedReplayOrder(sources, FOLD_CHUNK)) {
    for (const event of await options.reader.read(forReading(entries))) applyToState(state, options.projection, event);
    await options.onBatch?.();
  }
  return state;
}

/**
 * The snapshot to compare with: the rebuild's own (`snapshotId`), else the newest restorable one at or before
 * `snapshotAt`, else the newest restorable one. Throws `RebuildSnapshotGoneError` when the rebuild's is removed or no
 * longer restorable, `NoSnapshotToVerifyError` (INVALID_ARGUMENT) when no snapshot fits.
 */
async function chosenSnapshot(deps: Deps, options: VerifyOptions): Promise<SnapshotInfo> {
  const name = options.projection.name;
  if (options.snapshotId !== undefined) {
    const own = (await deps.snapshots.list(name)).find((s) => s.id === options.snapshotId);
    if (own && own.notRestorable === undefined) return own;
    throw new RebuildSnapshotGoneError(name, options.generation, options.snapshotId, own?.notRestorable);
  }
  const snapshot = options.snapshotAt !== undefined
    ? await deps.snapshots.latestAtOrBefore(name, options.snapshotAt)
    : (await deps.snapshots.list(name)).filter((s) => s.notRestorable === undefined).at(-1);
  if (!snapshot) throw await noSnapshot(deps, name, options.snapshotAt);
  return snapshot;
}

/**
 * Why no snapshot could be compared, naming the option that chose it (`snapshotAt` when a time was given, else
 * `against`) and what to do: a later time, the newest, the log, or a snapshot taken first. Snapshots the store can no
 * longer restore (AWS: past PITR's retention, their table dropped) are listed but never chosen: then it says so.
 */
async function noSnapshot(deps: Pick<RebuildDeps, 'snapshots'>, name: string, snapshotAt: number | undefined): Promise<NoSnapshotToVerifyError> {
  const listed = await deps.snapshots.list(name);
  const taken = listed.filter((s) => snapshotAt === undefined || s.takenAt <= snapshotAt);
  if (taken.length > 0) return new NoSnapshotToVerifyError(name, snapshotAt, { kind: 'unrestorable', taken: taken.length });
  if (listed.length === 0) return new NoSnapshotToVerifyError(name, snapshotAt, { kind: 'none-taken' });
  return new NoSnapshotToVerifyError(name, snapshotAt, { kind: 'too-early', oldest: listed[0]!.takenAt });
}
