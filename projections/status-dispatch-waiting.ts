// Dispatch waiting on an archived object: which object, where, and the restore that lets it go on, as status and
// GET /health show it.

import { bareCommand, type SpellCommand } from '../domain/command-spelling.ts';
import { ArchivedEventError } from '../domain/errors.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { RestoreState } from '../domain/ports/storage.ts';
import { DISPATCH_BATCH } from './dispatch-tail.ts';
import type { EventlakeRuntime } from './runtime.ts';

/**
 * The archived object the next drain cannot read: every catch-up dispatches the events before it, then stops there
 * at once (reads fail with EVENT_ARCHIVED, emits still store) until it is restored, then dispatch goes on by itself at
 * the next catch-up. Nothing is dead-lettered meanwhile.
 */
export interface DispatchWaiting {
  readonly code: 'EVENT_ARCHIVED';
  /** The first undispatched event in the object, and its id. */
  readonly position: number;
  readonly eventId: string;
  readonly key: string;
  /** `GLACIER` or `DEEP_ARCHIVE`. */
  readonly storageClass: string;
  /** The object's restore as the archive tier answers now: `RESTORING` means only waiting is left for it. */
  readonly restore: RestoreState;
  /**
   * Epoch seconds [since, until) of `eventlake restore request --since --until` that restores it and every archived
   * object after it in time (from its hour to the newest archived event), so one restore, not one per object,
   * lets dispatch through.
   */
  readonly restoreRange: { readonly since: number; readonly until: number };
  /** What waits, where, and the fix (commands spelled bare: the CLI spells them with its global options). */
  readonly message: string;
}

/** The ArchivedEventError `error` is (the drain stops with it as the log threw it) or holds as a `cause`, if any. */
export function archivedCause(error: unknown): ArchivedEventError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) if (e instanceof ArchivedEventError) return e;
  return undefined;
}

/** An archived object as `EventIndex.objects()` lists it. */
type ArchivedObject = Awaited<ReturnType<EventIndex['objects']>>[number];

/**
 * Dispatch waiting on the object `archived` names, met in the first undispatched page after `dispatchedPosition`.
 * `objects`: the index's objects when the caller has them (status), else read here (only in this state).
 */
export async function dispatchWaiting(
  runtime: Pick<EventlakeRuntime, 'index' | 'archive'>, archived: ArchivedEventError, dispatchedPosition: number, objects?: readonly ArchivedObject[],
): Promise<DispatchWaiting | undefined> {
  const { entries } = await runtime.index.afterPosition(dispatchedPosition, DISPATCH_BATCH);
  const entry = entries.find((e) => e.location.key === archived.key);
  if (entry === undefined) return undefined;
  const [state] = await runtime.archive.storage([archived.key]);
  const since = Math.floor(entry.timestamp / 3600) * 3600;
  // Objects already restored are left out: restoring them again only extends their copies.
  const until = (objects ?? await runtime.index.objects())
    .filter((o) => o.storageClass !== 'STANDARD' && (o.restore !== 'RESTORED' || o.key === archived.key))
    .reduce((newest, o) => Math.max(newest, o.maxTimestamp), entry.timestamp) + 1;
  const waiting = {
    code: archived.code, position: entry.position, eventId: entry.id, key: archived.key, storageClass: state?.storageClass ?? archived.storageClass,
    restore: state?.restore ?? 'NONE', restoreRange: { since, until },
  } as const;
  return { ...waiting, message: waitingMessage(waiting, bareCommand) };
}

/**
 * What dispatch waits on and how to end it, its commands spelled by `spell`.
 *
 * @example
 * waitingMessage(status.dispatchWaiting, followUp(opts)); // 'dispatch waits at position 1 (…) on … which is in GLACIER: restore it …'
 */
export function waitingMessage(w: Omit<DispatchWaiting, 'message'>, spell: SpellCommand): string {
  const range = spell('restore', 'request', '--since', iso(w.restoreRange.since), '--until', iso(w.restoreRange.until), '--wait');
  const keys = w.restore === 'RESTORING'
    ? `its restore is in progress (${spell('restore', 'status', '--keys', w.key)})`
    : `restore it (${spell('restore', '--keys', w.key)})`;
  return `dispatch waits at position ${w.position} (${w.eventId}) on ${w.key}, which is in ${w.storageClass}: ${keys}; ` +
    `the archived objects after it stop dispatch next, so restore them all at once (${range}); ` +
    `dispatch goes on by itself at the next catch-up (${spell('run')}, an emit or a read) once they are restored`;
}

/** Epoch seconds as `--since`/`--until` read them, without the milliseconds an hour boundary does not need. */
function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
