// Planning a rebuild: which snapshot it starts from, which events it replays, where they sit, and what restores cost.
//
// What `from` means: a wall-clock point in the projection's own history (like point-in-time recovery). The rebuild
// starts from the newest snapshot taken at or before `from` (none when `from` is 0, or when no snapshot is that old)
// and replays every indexed event the snapshot does not contain: every position above its high-water mark, up to
// the settled position when the plan is made (the plan's `mark`: the last indexed, where positions commit in order;
// settled-mark.ts). That includes late arrivals, whose EventTimeStamp is older than the snapshot but which were
// ingested after it.
//
// What `until` means: an event-time bound on the replay. Of the events after the snapshot's mark, only those with
// EventTimeStamp (in ms) < `until` are replayed; the snapshot's own content stays as it is (a snapshot cannot be
// un-applied). So `from: 0, until: T` is exactly "every event that happened before T", and a plan whose snapshot was
// taken after T carries a warning. A rebuild with `until` is a historical view: it is verified, never promoted.
//
// Restores: the replay's (what it reads), and apart from them the verification's (plan-restores.ts: against the log,
// a rebuild from a snapshot reads the objects before the snapshot too). The cost estimate prices both: one bill, and
// two waits, since the verification asks for its restores only once the replay is done.

import { bareCommand, namingCommands, type SpellCommand } from '../../domain/command-spelling.ts';
import { describeValue, refuseUnknownKeys } from '../../domain/known-keys.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';
import type { RangeGroup, RebuildDeps } from './deps.ts';
import { summarizeRange } from './deps.ts';
import { currentRestores, verificationRestores } from './plan-restores.ts';
import type { VerificationRestores } from './plan-restores.ts';
import { estimateRestoresInTurn } from './restore-costs.ts';
import { settledMark } from './settled-mark.ts';
import type { ArchiveClass, RestoreEstimate, RestoreVolume } from './restore-costs.ts';
import type { VerifyAgainst } from './verify.ts';

export type { VerificationRestores } from './plan-restores.ts';

const REFERENCES: readonly VerifyAgainst[] = ['log', 'snapshot', 'live'];

export interface PlanRequest {
  readonly projection: string;
  /** Epoch ms (wall clock); 0 starts from an empty projection. */
  readonly from: number;
  /** Epoch ms (event time); replay only events with EventTimeStamp before it. */
  readonly until?: number;
  /**
   * The references the rebuild will be verified against (default `['log']`, as `eventlake rebuild` and the rebuild
   * function do): with 'log', the plan counts what the verification restores beyond the replay.
   */
  readonly against?: readonly VerifyAgainst[];
}

/** Events, bytes and objects of one storage class (and restore state) in the replay set. */
export interface TierUsage {
  readonly storageClass: StorageClass;
  /** Archived but with a readable restored copy. */
  readonly restored: boolean;
  readonly events: number;
  readonly bytes: number;
  readonly objects: number;
}

/** A rebuild plan: plain JSON, printable by `rebuild --dry-run --json`. */
export interface RebuildPlan {
  readonly projection: string;
  readonly from: number;
  readonly until?: number;
  readonly snapshot?: SnapshotInfo;
  /** Positions at or below it are in the snapshot (0 without one). */
  readonly baseMark: number;
  /** Settled position when planned (settled-mark.ts; the last indexed, locally): the rebuild replays (baseMark, mark]. */
  readonly mark: number;
  readonly events: { readonly count: number; readonly bytes: number; readonly objects: number };
  readonly tiers: readonly TierUsage[];
  /** Archived objects the replay reads without a readable copy, per class. */
  readonly restores: Readonly<Record<ArchiveClass, RestoreVolume>>;
  /**
   * What verifying the rebuild restores beyond `restores`. Absent from plans made by eventlake versions before it
   * (a rebuild function not redeployed since): those priced the replay only.
   */
  readonly verification?: VerificationRestores;
  /** Cost and time per restore tier of the replay's and the verification's restores: one bill, one wait after the other. */
  readonly estimates: readonly RestoreEstimate[];
  readonly warnings: readonly string[];
}

/**
 * Make a plan. Reads the index (a grouped scan of the replay's positions; from a snapshot and verified against the log,
 * of the positions before it too), the snapshot list and, given `archive`, the current restore state of the objects
 * the index says were restored; writes nothing. Throws `InvalidArgumentError` naming `from`, `until` or `against` (with `until`, the log only;
 * 'snapshot' only from a snapshot, or with `from` 0: verified against the newest).
 */
const PLAN_KEYS = ['projection', 'from', 'until', 'against'] as const;
/**
 * 1973-03-03 in epoch ms: a positive time below it is most often epoch seconds (an EventTimeStamp) given for ms. Why a
 * warning, not a refusal: EventTimeStamp starts at 0, so 1970-1973 are times a log may hold, and the CLI and the
 * rebuild function hand over dates they converted themselves.
 */
const MS_FLOOR = 1e11;

/** Refuse unknown keys and a from/until that is no number. Why: both planned silently wrong. */
function checkPlanRequest(request: PlanRequest): void {
  refuseUnknownKeys(request, PLAN_KEYS, 'the plan request');
  for (const name of ['from', 'until'] as const) {
    const value: unknown = request[name];
    if (value === undefined && name === 'until') continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidArgumentError(name, `must be a finite number of epoch ms; got ${describeValue(value)}`);
  }
}

/** The plan's warnings for a from/until that may be epoch seconds given for ms. */
function secondsWarnings(request: PlanRequest): string[] {
  return (['from', 'until'] as const).flatMap((name) => {
    const value = request[name];
    return value !== undefined && value > 0 && value < MS_FLOOR
      ? [`${name} ${value} (epoch ms) is ${new Date(value).toISOString()}: if you meant epoch seconds, give ${value * 1000}`]
      : [];
  });
}

export async function planRebuild(deps: Pick<RebuildDeps, 'index' | 'snapshots'> & Partial<Pick<RebuildDeps, 'archive'>>, request: PlanRequest): Promise<RebuildPlan> {
  checkPlanRequest(request);
  if (!Number.isFinite(request.from) || request.from < 0) throw new InvalidArgumentError('from', `${request.from} is not an epoch-ms time (0 = empty)`);
  if (request.until === 0) throw new InvalidArgumentError('until', '0 is 1970-01-01T00:00:00Z, the log\'s start: no event is before it, so the view would be empty; give a later time (epoch ms)');
  if (request.until !== undefined && !(request.until > 0)) throw new InvalidArgumentError('until', `${request.until} is not an epoch-ms time after 1970-01-01T00:00:00Z: give epoch ms > 0`);
  const against = request.against ?? ['log'];
  const unknown = against.find((a) => !REFERENCES.includes(a));
  if (unknown !== undefined) throw new InvalidArgumentError('against', `"${unknown}" is not one of ${REFERENCES.join(', ')}`);
  // Refused here, not after the replay: verify.ts refuses it too, once the whole rebuild (and its restores) is done.
  const other = request.until === undefined ? undefined : against.find((a) => a !== 'log');
  if (other !== undefined) throw new InvalidArgumentError('against', `a rebuild with --until is a historical view, verified against the log only, not the ${other}: leave --against out or set it to log`);
  const snapshot = request.from > 0 ? await deps.snapshots.latestAtOrBefore(request.projection, request.from) : undefined;
  // Listed but skipped: a store that can tell (AWS PITR) never plans from a snapshot it can no longer restore.
  const unrestorable = request.from > 0 && !snapshot && (await deps.snapshots.list(request.projection)).some((s) => s.takenAt <= request.from);
  const noneSpelled = (spell: SpellCommand) => `no ${unrestorable ? 'restorable ' : ''}snapshot of ${request.projection} at or before ${new Date(request.from).toISOString()}` +
    (unrestorable ? ` (${spell('snapshot', 'list')} shows why)` : '');
  const none = noneSpelled(bareCommand);
  // The rebuild verifies against the snapshot it starts from: from an empty projection, there is none (refused before it runs).
  if (request.from > 0 && !snapshot && against.includes('snapshot')) {
    throw namingCommands((spell) => new InvalidArgumentError('against', `snapshot: a rebuild is verified against the snapshot it starts from, and there is ${noneSpelled(spell)}: ` +
      'leave snapshot out of --against (the rebuild starts from an empty projection), or give a --from at or after a restorable snapshot'));
  }
  const baseMark = snapshot?.highWaterMark ?? 0;
  const mark = Math.max(baseMark, await settledMark(deps.index));
  // One grouped scan of the index: counts and keys per object, never the entries themselves (a million of them).
  const usage = new TierTally();
  const groups = await currentRestores(deps, await summarizeRange(deps.index, { after: baseMark, upTo: mark, ...(request.until !== undefined ? { until: request.until } : {}) }));
  for (const group of groups) usage.add(group);
  const verification = await verificationRestores(deps, against, baseMark, groups);
  const warnings: string[] = secondsWarnings(request);
  if (request.from > 0 && !snapshot) warnings.push(`${none}: starting from an empty projection`);
  if (snapshot && request.until !== undefined && snapshot.takenAt > request.until) {
    warnings.push(`the snapshot was taken after --until; it may already contain events at or after ${new Date(request.until).toISOString()}`);
  }
  const tiers = usage.tiers();
  const restores = restoreVolumes(tiers);
  return {
    projection: request.projection, from: request.from, ...(request.until !== undefined ? { until: request.until } : {}),
    ...(snapshot ? { snapshot } : {}), baseMark, mark,
    events: { count: usage.events, bytes: usage.bytes, objects: usage.objects },
    tiers, restores, verification, estimates: estimateRestoresInTurn(restores, verification.restores), warnings,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Events, bytes and objects of the replay set, overall and per storage class and restore state. */
class TierTally {
  events = 0;
  bytes = 0;
  private readonly keys = new Set<string>();
  /** Events in one-event objects (a group with key null): each is an object of its own. */
  private ownObjects = 0;
  private readonly groups = new Map<string, { storageClass: StorageClass; restored: boolean; events: number; bytes: number; keys: Set<string>; ownObjects: number }>();

  get objects(): number {
    return this.keys.size + this.ownObjects;
  }

  add(r: RangeGroup): void {
    this.events += r.events;
    this.bytes += r.bytes;
    const restored = r.storageClass !== 'STANDARD' && r.restore === 'RESTORED';
    const id = `${r.storageClass}/${restored}`;
    let g = this.groups.get(id);
    if (!g) this.groups.set(id, (g = { storageClass: r.storageClass, restored, events: 0, bytes: 0, keys: new Set<string>(), ownObjects: 0 }));
    g.events += r.events;
    g.bytes += r.bytes;
    if (r.key === null) {
      this.ownObjects += r.events;
      g.ownObjects += r.events;
    } else {
      this.keys.add(r.key);
      g.keys.add(r.key);
    }
  }

  tiers(): TierUsage[] {
    const order: StorageClass[] = ['STANDARD', 'GLACIER', 'DEEP_ARCHIVE'];
    return [...this.groups.values()]
      .sort((a, b) => order.indexOf(a.storageClass) - order.indexOf(b.storageClass) || Number(a.restored) - Number(b.restored))
      .map(({ keys, ownObjects, ...g }) => ({ ...g, objects: keys.size + ownObjects }));
  }
}

function restoreVolumes(tiers: readonly TierUsage[]): Record<ArchiveClass, RestoreVolume> {
  const of = (c: ArchiveClass) => tiers.filter((t) => t.storageClass === c && !t.restored);
  // Bytes: the replayed events' lines (size + newline); a segment also holding older events restores a little more.
  const volume = (c: ArchiveClass): RestoreVolume => ({ objects: sum(of(c).map((t) => t.objects)), bytes: sum(of(c).map((t) => t.bytes + t.events)) });
  return { GLACIER: volume('GLACIER'), DEEP_ARCHIVE: volume('DEEP_ARCHIVE') };
}
