// Verification: a generation against a reference — a direct fold of the log, a snapshot, or the live generation —
// compared account by account at the same high-water mark.
//
// "Same mark": each side is a state plus the position up to which it holds every event. The side that is behind is
// advanced in memory (domain/projection.ts applyToState) with the log's events up to the other side's mark, so a
// snapshot taken at position 900 is compared with a rebuild that reached 1,000 as "snapshot + events 901..1000".
// Idempotency keys travel with both states, so an event already inside either side is not counted twice.
//
// Against the log, right after a fresh rebuild in the same process: the fold its replay computed of what it read
// (reference.ts) is the reference, once shown to cover exactly the index's positions up to the mark; the log is
// read again only when that cannot be shown. The generation's rows are streamed past the reference's where the store
// can and the generation needs no advancing to the comparison's mark; otherwise it is read back whole. What the other
// references are, and how a side is advanced to the comparison's mark, is in verify-reference.ts.

import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Projection } from '../../domain/projection.ts';
import type { AccountDifference, AppliedDigest, Compared } from './compare.ts';
import { appliedDigest, AppliedDigester, compareAppliedDigests, compareCounters, compareStates, sortDifferences, StreamedRowComparison } from './compare.ts';
import type { RebuildDeps } from './deps.ts';
import { positionDigestOf } from './deps.ts';
import { sameDigest } from './position-digest.ts';
import type { EventReader } from './read-events.ts';
import type { HeldLease } from './rebuild-lease.ts';
import type { ReplayReference } from './reference.ts';
import type { RehydrateReport } from './rehydrate.ts';
import { advance, emptyLogFold, referenceOf, type ComparedState, type Reference } from './verify-reference.ts';

export type VerifyAgainst = 'log' | 'snapshot' | 'live';

export interface VerifyOptions {
  readonly projection: Projection;
  readonly generation: number;
  readonly against: VerifyAgainst;
  /** The generation holds every event up to this position. */
  readonly mark: number;
  /** A rebuild's snapshot mark and `until`: events above `baseMark` count only if EventTimeStamp*1000 < until. */
  readonly baseMark?: number;
  readonly until?: number;
  /**
   * A generation that may hold events past `mark` (a retired one: it was live after its rebuild) is compared at this
   * position at least, advanced with its idempotency records, so the events it has already count once.
   */
  readonly completeAt?: number;
  /** 'snapshot': the newest restorable snapshot taken at or before this wall-clock ms (default: the newest of all). */
  readonly snapshotAt?: number;
  /** 'snapshot': exactly this one (a rebuild's own, which it started from), instead of one `snapshotAt` picks. */
  readonly snapshotId?: string;
  readonly reader: EventReader;
  /**
   * The fold a rebuild of this generation computed while replaying, in this process (reference.ts). Against the log,
   * it replaces reading the log again when its checks hold and the index's digest of the range matches it.
   */
  readonly replayed?: ReplayReference;
  /** Makes these archived objects (keys of the log's objects the index has outside STANDARD) readable before they are read (rehydration). */
  readonly ensureReadable?: (archivedKeys: readonly string[]) => Promise<void>;
  /**
   * Awaited after each chunk of events the fold reads and between the long reads of the store: a CLI yields a loop
   * turn there, so Ctrl-C stops a verification of a large lake before it finishes (and the command promotes).
   */
  readonly onBatch?: () => void | Promise<void>;
  /**
   * Takes the projection's rebuild lease, held while a snapshot is chosen and read back (against 'snapshot'), so no
   * `snapshot prune` removes it meanwhile. For a caller that does not hold the lease already (the live generation's
   * verification); a caller holding it leaves this out, as a second take would refuse itself.
   */
  readonly snapshotLease?: () => Promise<HeldLease>;
}

export type { VerifyCallOptions } from './verify-run.ts';

export interface VerifyReport {
  readonly projection: string;
  readonly generation: number;
  readonly against: VerifyAgainst;
  /** What the reference was, e.g. `snapshot 17 (taken 2024-03-01T00:00:00.000Z, mark 9000)`. */
  readonly reference: string;
  /** The position both sides were compared at. */
  readonly mark: number;
  readonly passed: boolean;
  readonly accounts: number;
  readonly rows: number;
  readonly differences: readonly AccountDifference[];
  /**
   * The archived objects this verification made readable, apart from its rebuild's (RebuildReport.rehydrated): against
   * the log from a snapshot, every one before the snapshot. Of a rebuilt generation, with the restores of the earlier
   * attempts at this verification (the same reference) that gave up waiting on them (restore-record.ts), as the
   * rebuild function's invocations answering `restoring` do; a verification after one that finished counts its own.
   * Set by `RebuildCoordinator.verify`; absent from a report of `verifyGeneration` alone, or of an older eventlake.
   */
  readonly rehydrated?: RehydrateReport;
}

type Deps = Pick<RebuildDeps, 'index' | 'store' | 'snapshots' | 'dispatchedPosition'>;

/** Compare `generation` with the reference; never throws on a mismatch (the promoting path does). */
export async function verifyGeneration(deps: Deps, options: VerifyOptions): Promise<VerifyReport> {
  if (options.until !== undefined && options.against !== 'log') {
    throw new InvalidArgumentError('against', `a rebuild with --until is a historical view: verify it against the log, not the ${options.against}`);
  }
  if (options.against === 'log' && options.replayed) {
    const checked = await checkReplayed(deps, options, options.replayed);
    if (typeof checked !== 'string') return compareWithReplayed(deps, options, checked);
    return compareWithReference(deps, options, { state: emptyLogFold(), mark: 0, description: `a direct fold of the log (read again: ${checked})` });
  }
  return compareWithReference(deps, options, await referenceOf(deps, options));
}

/**
 * The replay's fold, if it may stand for a direct fold of the log up to the generation's mark: its own checks held,
 * and the positions it read are exactly those the index holds for the range (digest of positions read from the index).
 * Otherwise why not.
 */
async function checkReplayed(deps: Deps, options: VerifyOptions, replayed: ReplayReference): Promise<ReplayReference | string> {
  if (replayed.generation !== options.generation || replayed.projection.name !== options.projection.name) return 'the replayed fold is of another generation';
  const unusable = replayed.unusableFor(options.mark);
  if (unusable) return unusable;
  const indexed = await positionDigestOf(deps.index, replayed.range);
  const read = replayed.digest();
  if (!sameDigest(indexed, read)) return `the replay read ${read.count} events, the index holds ${indexed.count} (or other positions) up to ${options.mark}`;
  return replayed;
}

/** Counters, rows and idempotency records of the generation against the replay's fold, at the same mark. */
async function compareWithReplayed(deps: Deps, options: VerifyOptions, replayed: ReplayReference): Promise<VerifyReport> {
  const expected = replayed.state;
  // Idempotency records are compared as digests, each side's records let go once digested (the fold's when its
  // replay finished): a million of them on each side at once would double the peak memory. Counters and rows are
  // compared per account, the generation's rows streamed past the fold's. The fold's digest is set by its finish(), which checkReplayed required (unusableFor):
  // its records were packed and let go, so there is nothing else to digest.
  const expectedApplied = replayed.appliedDigest!;
  const actualApplied = await storedAppliedDigest(deps, options.projection.name, options.generation);
  await options.onBatch?.();
  const differences = [...await storedStateDifferences(deps, options, expected), ...compareAppliedDigests(expectedApplied, actualApplied)];
  return report(options, `a fold of the log up to position ${options.mark}, as the rebuild's replay read it (${replayed.digest().count} events, positions checked against the index)`, options.mark, expected, differences);
}

/**
 * Counters and rows of the generation against `expected`: its rows streamed where the store can (`readStateStreamed`),
 * so a generation of a million rows is never held beside the fold it is compared with.
 */
async function storedStateDifferences(deps: Deps, options: VerifyOptions, expected: Compared): Promise<AccountDifference[]> {
  const { store } = deps;
  const name = options.projection.name;
  if (!store.readStateStreamed) return compareStates(expected, lean(await store.readState(name, options.generation, { applied: false }), true));
  const rows = new StreamedRowComparison(expected.rows);
  const counters = await store.readStateStreamed(name, options.generation, (key, row) => rows.visit(key, row));
  const rowDifferences = await rows.differences(async () => {
    const keys = new Set<string>();
    await store.readStateStreamed!(name, options.generation, (key) => keys.add(key));
    return keys;
  });
  return sortDifferences([...compareCounters(expected.counters, counters), ...rowDifferences]);
}

/** The digest of a generation's idempotency records: streamed where the store can, so they are never all held at once. */
async function storedAppliedDigest(deps: Deps, name: string, generation: number): Promise<AppliedDigest> {
  if (!deps.store.forEachApplied) return appliedDigest((await deps.store.readState(name, generation)).applied);
  const digester = new AppliedDigester();
  await deps.store.forEachApplied(name, generation, (id, memo) => digester.add(id, memo));
  return digester.digest();
}

async function compareWithReference(deps: Deps, options: VerifyOptions, reference: Reference): Promise<VerifyReport> {
  const name = options.projection.name;
  const at = Math.max(options.mark, reference.mark, reference.holdsUpTo ?? 0, options.completeAt ?? 0);
  // The comparison reads counters and rows only; the idempotency records (one per event) matter only to a side
  // that is still advanced. Each side drops them as soon as it is complete, so two full sets never coexist.
  if (reference.mark >= at) reference.state.applied.clear();
  await options.onBatch?.();
  // A generation complete at the mark needs no advancing, so none of its records: its rows are streamed past the
  // reference's as they are read, instead of held beside them (a statement of a million rows, twice).
  if (options.mark >= at && deps.store.readStateStreamed) {
    const expected = lean(await advance(deps, options, reference.state, reference.mark, at), true);
    return report(options, reference.description, at, expected, await storedStateDifferences(deps, options, expected));
  }
  const actual = lean(await advance(deps, options, lean(await deps.store.readState(name, options.generation, { applied: options.mark < at }), options.mark >= at), options.mark, at), true);
  const expected = lean(await advance(deps, options, reference.state, reference.mark, at), true);
  return report(options, reference.description, at, expected, compareStates(expected, actual));
}

function report(options: VerifyOptions, reference: string, mark: number, expected: Compared, differences: readonly AccountDifference[]): VerifyReport {
  const accounts = new Set(expected.counters.keys());
  for (const row of expected.rows.values()) accounts.add(row.partition);
  return {
    projection: options.projection.name, generation: options.generation, against: options.against, reference, mark,
    passed: differences.length === 0, accounts: accounts.size, rows: expected.rows.size, differences,
  };
}

/** `state` without its idempotency records when `drop` (they are many, and a complete side no longer needs them). */
function lean<S extends ComparedState>(state: S, drop: boolean): S {
  if (drop) state.applied.clear();
  return state;
}
