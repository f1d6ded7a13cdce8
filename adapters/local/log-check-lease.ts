// Archive runs overlapping `checkLog`: `eventlake archive run` and the compaction `serve` and `run` do by themselves
// move objects (originals into segments, segments to the archive tier) under the archive lease, and a walk they
// overlap reads the moves as missingObject, extraCopy or orphanObject. The lease is read, never taken: its value in
// a private copy of dispatch.db, the folder of its holders' marks, and whether its holder is alive (its mark's lock).

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TransientError } from '../../domain/errors.ts';
import type { DeadHolder } from '../../domain/ports/lease-liveness.ts';
import { ARCHIVE_LEASE } from '../../projections/archive-lease.ts';
import { leaseExpiry, leaseTag } from '../../projections/lease.ts';
import type { DataDirLayout } from './layout.ts';
import { LEASES_FOLDER, LockFileLeaseLiveness } from './lease-marks.ts';
import { DbCopy } from './log-check-sqlite.ts';

/** How long `checkLog` waits, by default, for an archive run holding the lease to finish. */
export const LEASE_WAIT_MS = 30_000;
const POLL_MS = 250;

/** The archive lease as read at one moment. */
interface LeaseReading {
  /** Its value in dispatch.db: expiry and holder tag (projections/lease-take.ts), 0 when free. */
  readonly value: number;
  /** When it was read, epoch ms. */
  readonly at: number;
  /**
   * The `leases/` folder's change times. Why: a run that takes the lease and frees it again between two readings
   * leaves the value as it found it (0), but its holder's mark file is created there and deleted again. Another
   * lease's holder (a rebuild's) changes them too: the price is a needless second walk, never a finding hidden.
   */
  readonly marks: string;
  /**
   * Its holder is dead: it marked itself on this host and no live process holds its mark, as after a kill -9 or a crash.
   * Why that lease holds nothing: an archive run takes it over at once (lease-take.ts), and no process writes that
   * value again (a new holder writes one of its own), so no run moves objects under it from then on.
   */
  readonly deadHolder: boolean;
}

const held = (r: LeaseReading): boolean => r.value !== 0 && leaseExpiry(r.value) > r.at && !r.deadHolder;

/** Whether an archive run may have held the lease at any time between `before` and `after`. */
const overlapped = (before: LeaseReading, after: LeaseReading): boolean =>
  held(before) || held(after) || before.value !== after.value || before.marks !== after.marks;

/** Where `checkLog` reads the lease: the data dir, its private copies' folder, and how long it waits. */
export interface LeaseWatch {
  readonly layout: DataDirLayout;
  readonly tempDir: string | undefined;
  readonly waitMs: number;
}

/** The `leases/` folder's change times, read first: a lease taken or freed after this changes them. */
function marksOf(watch: LeaseWatch): string {
  const leases = statSync(join(watch.layout.root, LEASES_FOLDER), { bigint: true, throwIfNoEntry: false });
  return leases ? `${leases.ino}:${leases.mtimeNs}:${leases.ctimeNs}` : 'none';
}

/**
 * Whether the holder that wrote lease value `value` is dead, asked as an archive run taking the lease asks it
 * (LockFileLeaseLiveness.dead); its mark is then let go as it was: check writes nothing in the data dir, and the run
 * that takes the lease over deletes it.
 */
async function holderDead(watch: LeaseWatch, value: number): Promise<boolean> {
  let dead: DeadHolder | undefined;
  try {
    dead = await new LockFileLeaseLiveness(join(watch.layout.root, LEASES_FOLDER)).dead(ARCHIVE_LEASE, leaseTag(value));
  } catch {
    // A mark it may not open (another user's data dir, a read-only mount): its holder may be alive; the expiry decides.
    return false;
  }
  await dead?.release(false);
  return dead !== undefined;
}

/** The lease's value with `marks`, read before it (marks first: a run taking or freeing it between changes them). */
async function read(watch: LeaseWatch, marks = marksOf(watch)): Promise<LeaseReading> {
  // No dispatch.db: no process ever took a lease here. A process taking one now creates it (and `leases/`).
  if (!existsSync(watch.layout.dispatchDb)) return { value: 0, at: Date.now(), marks, deadHolder: false };
  const copy = new DbCopy(watch.layout.dispatchDb, watch.tempDir);
  let value: number;
  try {
    const table = copy.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'checkpoints'").get();
    value = (table ? (copy.db.prepare('SELECT position FROM checkpoints WHERE name = ?').pluck().get(ARCHIVE_LEASE) as number | undefined) : undefined) ?? 0;
  } finally {
    copy.close();
  }
  const reading = { value, at: Date.now(), marks, deadHolder: false };
  // Asked only of a lease that would hold: a free or expired one needs no answer.
  return held(reading) ? { ...reading, deadHolder: await holderDead(watch, value) } : reading;
}

/** Resolves once the lease is free, read again every POLL_MS for up to `waitMs`; `TransientError` if it is still held. */
async function free(watch: LeaseWatch): Promise<void> {
  const deadline = Date.now() + watch.waitMs;
  for (let reading = await read(watch); ; reading = await read(watch)) {
    if (!held(reading)) return;
    if (Date.now() >= deadline) {
      throw new TransientError(`${ARCHIVE_LEASE} is held until ${new Date(leaseExpiry(reading.value)).toISOString()} by an archive run (eventlake archive run, or the compaction serve and run do by themselves), ` +
        `whose moves of objects would read as damage; check waited ${Math.round(watch.waitMs / 1000)} s for it: run check again once it is done (a run killed on this host frees it with its process; one on another host sharing the data dir holds it until then)`);
    }
    await new Promise((done) => setTimeout(done, Math.min(POLL_MS, deadline - Date.now())));
  }
}

/**
 * Run `walk`, and once more (after waiting for the lease to be free) when an archive run took or held the archive lease
 * meanwhile: a walk it overlapped would report its moves as damage, and the second walk reports only what is wrong.
 * `rechecked` says so. `walk` calls `copied` once its databases are copied: the lease is read there, so that a
 * data dir or temp dir that cannot be checked is refused naming index.db, not dispatch.db. A `TransientError` from a
 * walk a run overlapped (an object gone between listing and reading) counts as an overlap too. Throws `TransientError`
 * when the lease stays held past `waitMs`, or a run overlapped both walks: never a report of moves as damage. A lease
 * whose holder was killed on this host holds nothing (`deadHolder`): the check goes on at once, as an archive run would.
 * `copied` is awaited: the holder's liveness is asked there, at the time the lease is read.
 */
export async function apartFromArchiveRuns<T>(watch: LeaseWatch, walk: (copied: () => Promise<void>) => Promise<T>): Promise<{ report: T; rechecked: boolean }> {
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) await free(watch);
    const marks = marksOf(watch);
    let before: LeaseReading | undefined;
    let outcome: { report: T } | { error: TransientError };
    try {
      outcome = { report: await walk(async () => { before = await read(watch, marks); }) };
    } catch (error) {
      // Before its copies were made, nothing was walked: no move can have been read as damage.
      if (!(error instanceof TransientError) || before === undefined) throw error;
      outcome = { error };
    }
    // A walk that never read the lease is taken as overlapped: walked again, it cannot report moves as damage.
    if (before !== undefined && !overlapped(before, await read(watch))) {
      if ('error' in outcome) throw outcome.error;
      return { report: outcome.report, rechecked: attempt > 1 };
    }
    if (attempt === 2) {
      throw new TransientError('an archive run (eventlake archive run, or the compaction serve and run do by themselves) took the archive lease during the check and again during its re-check; ' +
        'objects it moved would read as missingObject, extraCopy or orphanObject: run check again', 'error' in outcome ? { cause: outcome.error } : {});
    }
  }
}
