// What an operator asks first about a running eventlake: how much is in the log, how far dispatch is behind, what
// failed, which projection generations exist beside the live ones, how old the newest snapshots are, and what sits in
// which storage class, and whether the live generations were built with the running code's rules. Port-level: both targets.

import { UnsupportedOnTargetError } from '../domain/errors.ts';
import type { ForeignFold } from '../domain/ports/projection-store.ts';
import type { ObjectStorage, StorageClass } from '../domain/ports/storage.ts';
import { liveRules, otherGenerations, type LiveRules, type OtherGeneration } from './rebuild/generations.ts';
import { rulesFingerprint, upcastersOf } from './rebuild/rules-fingerprint.ts';
import type { EventlakeRuntime } from './runtime.ts';
import { dispatchStalled, probeDispatch, undispatchedEvents, type DispatchBlock, type DispatchStalled } from './status-dispatch.ts';
import type { DispatchWaiting } from './status-dispatch-waiting.ts';

/** The storage classes in tier order. */
export const STORAGE_CLASSES: readonly StorageClass[] = ['STANDARD', 'GLACIER', 'DEEP_ARCHIVE'];

/** Objects, events and bytes in one storage class, with the restores in progress or done. */
export interface StorageClassTotals {
  readonly class: StorageClass;
  readonly objects: number;
  readonly events: number;
  readonly bytes: number;
  readonly restoring: number;
  readonly restored: number;
}

/** One projection's live generation, the generations beside it and its newest snapshot. */
export interface ProjectionStatus {
  readonly name: string;
  readonly liveGeneration: number;
  /**
   * Generations that are not live (rebuilds kept unpromoted, unfinished ones, retired live ones): each holds storage
   * until dropped (`eventlake generations drop`). Undefined where the projection store cannot list generations.
   */
  readonly otherGenerations?: readonly OtherGeneration[];
  /**
   * The newest snapshot a rebuild can start from: newer ones the store can no longer restore (AWS: past PITR's
   * retention, their table dropped; `eventlake snapshot list` shows them and why) are passed over. Absent when none is.
   */
  readonly latestSnapshot?: { readonly id: string; readonly takenAt: number; readonly highWaterMark: number; readonly generation: number };
  /**
   * The rules the running code folds with, and those that built the live generation: `match` 'other' means past
   * events were folded with other rules than new ones are (rebuild to apply the running ones to them).
   */
  readonly rules: LiveRules;
  /**
   * Present when a process with other rules than those that built the live generation folded events into it (an old
   * client without the extensions module, say): whatever the viewer runs, its state may be wrong for those events.
   * Rebuild to fold them with the right rules; a promoted rebuild starts clean (foreign-fold.ts).
   */
  readonly foldedWithOtherRules?: ForeignFold;
}

/** `eventlakeStatus`'s answer. */
export interface EventlakeStatus {
  readonly target: EventlakeRuntime['target'];
  readonly dataDir: string;
  /** Events in the index. */
  readonly events: number;
  readonly lastPosition: number;
  readonly dispatchedPosition: number;
  /**
   * Indexed events not dispatched yet (counted: positions have gaps, so `lastPosition - dispatchedPosition` can be
   * more). Locally the dispatch tail's lag; on AWS always 0 (the indexer publishes each event as it indexes it; the
   * projector queue's depth is CloudWatch's to show).
   */
  readonly undispatchedEvents: number;
  /** @deprecated The same count as `undispatchedEvents` (events, not positions), kept for readers of the old name. */
  readonly undispatchedPositions: number;
  /**
   * Present when an undispatched event is one the registry refuses: dispatch stops there and every read fails until
   * the schemas or upcasters are fixed, so no catch-up helps. Found by upcasting the undispatched events (the next
   * drain's first batch), never by dispatching them.
   */
  readonly dispatchBlocked?: DispatchBlock;
  /**
   * Present when the next undispatched event is in an archived object (archived before dispatch reached it): every
   * catch-up stops there until it is restored (`message` and `restoreRange` name the restore), then goes on by itself.
   */
  readonly dispatchWaiting?: DispatchWaiting;
  /**
   * Present when this runtime's dispatch is held back by a full or failing disk, or another process's is as it recorded
   * in the data dir (`recordedBy`; see `dispatchStalled`): emits still store and reads answer what is applied,
   * `undispatchedEvents` grows until space is freed, then dispatch resumes by itself.
   */
  readonly dispatchStalled?: DispatchStalled;
  /**
   * Dead letters per target (projection); empty when none. Undefined where the target cannot list them (AWS: they are
   * SQS messages, see `deadLettersElsewhere`), never an empty count that would read as "none".
   */
  readonly deadLetters: Readonly<Record<string, number>> | undefined;
  /** Where to look instead when `deadLetters` is undefined. */
  readonly deadLettersElsewhere?: string;
  readonly projections: readonly ProjectionStatus[];
  readonly storage: readonly StorageClassTotals[];
}

/**
 * Read the runtime's state without changing it: no catch-up first, so the lag shown is the lag there is.
 *
 * @example
 * const s = await eventlakeStatus(runtime); // { events: 1200, undispatchedEvents: 0, deadLetters: {}, ... }
 */
export async function eventlakeStatus(runtime: EventlakeRuntime): Promise<EventlakeStatus> {
  const [events, lastPosition, dispatchedPosition, letters, objects] = await Promise.all([
    runtime.index.count(), runtime.index.lastPosition(), runtime.dispatchedPosition(), deadLettersOf(runtime), runtime.index.objects(),
  ]);
  const upcasters = upcastersOf(runtime.registry);
  const projections = await Promise.all(runtime.projections.map(async (p): Promise<ProjectionStatus> => {
    const running = rulesFingerprint(p, upcasters);
    const [liveGeneration, others, snapshots, rules] = await Promise.all([
      runtime.store.liveGeneration(p.name), otherGenerations(runtime, p.name, running), runtime.snapshots.list(p.name), liveRules(runtime, p.name, running),
    ]);
    const folded = await runtime.store.foreignFold?.(p.name, rules.generation);
    const latest = snapshots.reduce<(typeof snapshots)[number] | undefined>((a, s) => (s.notRestorable === undefined && (a === undefined || s.takenAt >= a.takenAt) ? s : a), undefined);
    return {
      name: p.name, liveGeneration, ...(others ? { otherGenerations: others } : {}),
      ...(latest ? { latestSnapshot: { id: latest.id, takenAt: latest.takenAt, highWaterMark: latest.highWaterMark, generation: latest.generation } } : {}),
      rules, ...(folded ? { foldedWithOtherRules: folded } : {}),
    };
  }));
  const behind = await undispatchedEvents(runtime.index, dispatchedPosition, lastPosition);
  // Only the local dispatch tail stops at a refused event; on AWS a lag is two reads of a growing index racing.
  const { blocked, waiting } = runtime.target === 'local' && behind > 0 ? await probeDispatch(runtime, dispatchedPosition, objects) : {};
  const stalled = dispatchStalled(runtime, behind);
  return {
    target: runtime.target, dataDir: runtime.dataDir, events, lastPosition, dispatchedPosition,
    undispatchedEvents: behind, undispatchedPositions: behind, ...(blocked ? { dispatchBlocked: blocked } : {}), ...(waiting ? { dispatchWaiting: waiting } : {}),
    ...(stalled ? { dispatchStalled: stalled } : {}), ...letters, projections,
    storage: storageByClass(await withCurrentRestores(runtime, objects)),
  };
}

async function deadLettersOf(runtime: EventlakeRuntime): Promise<Pick<EventlakeStatus, 'deadLetters' | 'deadLettersElsewhere'>> {
  try {
    const deadLetters: Record<string, number> = {};
    for (const l of await runtime.deadLetters.list()) deadLetters[l.target] = (deadLetters[l.target] ?? 0) + 1;
    return { deadLetters };
  } catch (error) {
    if (!(error instanceof UnsupportedOnTargetError)) throw error;
    return { deadLetters: undefined, deadLettersElsewhere: error.message };
  }
}

/** Totals per storage class of the index's objects. */
export function storageByClass(objects: readonly { storageClass: StorageClass; restore: ObjectStorage['restore']; events: number; bytes: number }[]): StorageClassTotals[] {
  return STORAGE_CLASSES.map((c) => {
    const of = objects.filter((o) => o.storageClass === c);
    return {
      class: c, objects: of.length, events: of.reduce((n, o) => n + o.events, 0), bytes: of.reduce((n, o) => n + o.bytes, 0),
      restoring: of.filter((o) => o.restore === 'RESTORING').length, restored: of.filter((o) => o.restore === 'RESTORED').length,
    };
  });
}

/**
 * The index keeps the restore state it last heard of, so a restored copy that has since expired would still count as
 * restored; the tier is asked for the objects with a restore, the only ones whose state can have moved on.
 */
export async function withCurrentRestores<T extends { key: string; restore: ObjectStorage['restore'] }>(runtime: Pick<EventlakeRuntime, 'archive'>, objects: readonly T[]): Promise<T[]> {
  const asked = objects.filter((o) => o.restore !== 'NONE').map((o) => o.key);
  if (asked.length === 0) return [...objects];
  const current = new Map((await runtime.archive.storage(asked)).map((s) => [s.key, s.restore]));
  return objects.map((o) => ({ ...o, restore: current.get(o.key) ?? o.restore }));
}
