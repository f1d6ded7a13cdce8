// checkLog: a read-only integrity check of a local data dir — do the objects on disk, index.db and the identity
// catalogue agree, line for line and identity for identity? It writes nothing in the data dir.

import { resolve, sep } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { StoredEventValidator } from '../../projections/log-index-check-schemas.ts';
import { dataDirGaps } from './data-dir-gaps.ts';
import { dataDirLayout, type DataDirLayout } from './layout.ts';
import { compareIdentities } from './log-check-catalogue.ts';
import { tempFilesOutsideTrees, walkEventTrees } from './log-check-files.ts';
import { journalNotIndexed } from './journal-not-indexed.ts';
import { journalRetention } from './log-check-journal.ts';
import { segmentReader } from './log-check-leftovers.ts';
import { checkObject, type ObjectCheckContext } from './log-check-object.ts';
import { Findings, type LogCheckReport } from './log-check-report.ts';
import { apartFromArchiveRuns, LEASE_WAIT_MS } from './log-check-lease.ts';
import { appendedSince } from './log-check-live.ts';
import { catalogueCursor, catalogueOffsetOf, DbCopy, indexedAt, indexerCursor, pendingFrom, rowsByObject, type CheckRow } from './log-check-sqlite.ts';
import { refuseLostIndex } from './lost-index-guard.ts';

/** Why a journal file the count could not read stops the check. */
const NOT_CHECKED_PENDING = 'the log was not checked (the events the journal holds past the indexer\'s cursor could not be counted)';

export { dataDirGaps } from './data-dir-gaps.ts';
export type { JournalRetention } from './log-check-journal.ts';
export type { JournalNotIndexed } from './journal-not-indexed.ts';
export { FINDINGS, HARMLESS_FINDINGS, type FindingKind, type FindingSummary, type LogCheckReport } from './log-check-report.ts';
export { invalidEventFinding, type StoredEventValidator } from '../../projections/log-index-check-schemas.ts';

export interface LogCheckOptions {
  /** Examples kept per finding category. Default 10. */
  readonly limit?: number;
  /**
   * Read archived objects' bytes (default true: the local archive tier keeps them as plain files). False counts their
   * rows as `archivedNotRead` instead, e.g. to check a large archive quickly.
   */
  readonly readArchived?: boolean;
  /** Where the private copies of index.db and catalogue.db go (default: the OS temp dir). Never inside the data dir. */
  readonly tempDir?: string;
  /**
   * The schema registry replay would read the data dir with (its folders and upcasters): every whole event read is
   * put to its `validateStored`, and one it refuses is `invalidEvent`, or `unknownSchema` for a type or version it does
   * not define. Without it, events are not validated (only their identity, time and input checks are looked at).
   */
  readonly registry?: StoredEventValidator;
  /** How long to wait for an archive run holding the archive lease to finish, in ms (default 30 s). */
  readonly leaseWaitMs?: number;
  /** Test seam: runs once index.db and catalogue.db are copied (each walk), before the journal and objects are read. */
  readonly afterCopies?: () => void | Promise<void>;
}

/**
 * Check the data dir at `dataDir` without writing to it. "Not whole" is a report (`whole: false`), not an error;
 * it throws only when it cannot check: `InvalidArgumentError` for a path that is not an eventlake data dir (nothing
 * is created), `IndexLostError` for one that holds events but lost index.db (it names `eventlake repair index`), an
 * index.db or catalogue.db it cannot copy or read as SQLite, `StorageError` for a folder or object file it cannot read
 * (EACCES…: only an absent one is skipped, so an unreadable folder never reads as missing objects), a registry error
 * about no one event (`SchemaEvolutionError`), or a bad option.
 *
 * It may run while a process appends: objects of appends the catalogue copy had not recorded are counted as
 * `appendedDuringCheck` (harmless, not checked), and identities the index copy had not indexed as `pendingIndex`;
 * everything appended before the copies is checked as strictly as at rest. Archive runs (`eventlake archive run`, the
 * compaction `serve` and `run` do by themselves) move objects, which a walk they overlap would read as damage: the
 * check reads their archive lease (never takes it) before and after its walk, waits up to `leaseWaitMs` while it is
 * held, and checks again once when a run took or held it during the walk (`rechecked`). It throws `TransientError`
 * rather than report moves as damage: the lease held past the wait, or a run overlapping the re-check too.
 *
 * Originals an interrupted compaction relocated but did not remove are `compactionLeftover`, harmless (the next
 * `eventlake archive run` removes them), by the rule the port-level check applies; only the segments they were
 * relocated to are read again for it.
 *
 * The report's `journal` says how much of the ingest journal is kept and how much of it only for the indexer (a
 * stalled indexer holds every segment past its cursor): information, it never makes the log less than whole.
 * `journalNotIndexed` counts the events durable in the journal past the indexer's cursor (as `eventlake status` does):
 * harmless too, the next emit or read indexes them; 0 once indexed.
 *
 * Memory stays bounded by one folder's names and one object's lines: rows come sorted from SQLite, objects sorted
 * from the walk, and the two are merged.
 *
 * @example
 * const report = await checkLog('./.eventlake', { limit: 5 });
 * if (!report.whole) console.log(report.findings.missingObject.examples);
 */
export async function checkLog(dataDir: string, options: LogCheckOptions = {}): Promise<LogCheckReport> {
  const limit = options.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 0) throw new InvalidArgumentError('limit', `${limit} is not a whole number >= 0 of examples per finding`);
  const layout = dataDirLayout(dataDir);
  assertDataDir(layout);
  const tempDir = options.tempDir === undefined ? undefined : resolve(options.tempDir);
  if (tempDir !== undefined && (tempDir === layout.root || tempDir.startsWith(layout.root + sep))) {
    throw new InvalidArgumentError('tempDir', `${tempDir} is inside the data dir, which the check must not write to; give a folder outside it`);
  }
  const waitMs = options.leaseWaitMs ?? LEASE_WAIT_MS;
  if (!Number.isSafeInteger(waitMs) || waitMs < 0) throw new InvalidArgumentError('leaseWaitMs', `${waitMs} is not a whole number of milliseconds >= 0 to wait for the archive lease`);
  const { report, rechecked } = await apartFromArchiveRuns({ layout, tempDir, waitMs }, (copied) => checkOnce({ layout, tempDir, limit, options }, copied));
  return { ...report, rechecked };
}

/** One walk: copies of the databases (`copied` once they are made), then the objects and identities compared with them. */
async function checkOnce(walk: { layout: DataDirLayout; tempDir: string | undefined; limit: number; options: LogCheckOptions }, copied: () => Promise<void>): Promise<Omit<LogCheckReport, 'rechecked'>> {
  const { layout, tempDir, limit, options } = walk;
  const findings = new Findings(limit);
  const index = new DbCopy(layout.indexDb, tempDir);
  let catalogue: DbCopy | undefined;
  try {
    catalogue = new DbCopy(layout.logCatalogue, tempDir);
    await copied();
    await options.afterCopies?.();
    const lookups = index.connection();
    const readArchived = options.readArchived ?? true;
    const cursor = indexerCursor(lookups);
    const journal = journalRetention(layout, cursor);
    // From the same cursor: events durable in the journal past it (an emit killed before indexing them) are in no
    // copy this walk compares, so without the count the report told fewer events than are stored, unlike `status`.
    const notIndexed = journalNotIndexed(layout, cursor, NOT_CHECKED_PENDING);
    const pending = { cursor, from: pendingFrom(catalogue.db, cursor, journal.end) };
    const ctx: ObjectCheckContext = {
      findings,
      readArchived,
      indexedAt: indexedAt(lookups),
      segmentLines: segmentReader(layout, readArchived),
      catalogueOffsetOf: catalogueOffsetOf(catalogue.db),
      pendingFrom: pending.from,
      appendedDuringCheck: appendedSince(layout, catalogueCursor(catalogue.db)),
      ...(options.registry ? { validator: options.registry } : {}),
    };
    const { objects, lines } = checkObjects(layout, index, ctx);
    const identities = compareIdentities(index.db, catalogue.db, findings, pending);
    const { whole, findings: summary } = findings.summary();
    return { dataDir: layout.root, whole, checked: { objects, lines, ...identities }, journal, journalNotIndexed: notIndexed, findings: summary };
  } finally {
    catalogue?.close();
    index.close();
  }
}

/** Merge the sorted index rows with the sorted walk: each object with the rows naming it, rows without an object. */
function checkObjects(layout: DataDirLayout, index: DbCopy, ctx: ObjectCheckContext): { objects: number; lines: number } {
  const rows = rowsByObject(index.db);
  let next = rows.next();
  const take = (key: string): CheckRow[] => {
    const group: CheckRow[] = [];
    while (!next.done && next.value.key === key) {
      group.push(next.value);
      next = rows.next();
    }
    return group;
  };
  const missingUpTo = (key: string | undefined) => {
    while (!next.done && (key === undefined || next.value.key < key)) {
      const missing = next.value.key;
      const group = take(missing);
      ctx.findings.add('missingObject', () => `${missing}: ${group.length} indexed events (${group.slice(0, 3).map((r) => r.id).join(', ')}${group.length > 3 ? ', …' : ''})`, group.length);
    }
  };
  let objects = 0;
  let lines = 0;
  try {
    for (const item of walkEventTrees(layout)) {
      if (item.type === 'temp') ctx.findings.add('tempFile', () => item.path);
      else if (item.type === 'stray') ctx.findings.add('notInLayout', () => item.path);
      else {
        missingUpTo(item.key);
        objects++;
        lines += checkObject(item.key, item.copies, take(item.key), ctx);
      }
    }
    missingUpTo(undefined);
  } finally {
    rows.return?.();
  }
  for (const path of tempFilesOutsideTrees(layout)) ctx.findings.add('tempFile', () => path);
  return { objects, lines };
}

/**
 * Refuse, creating nothing, a path that is not a data dir eventlake wrote (no folder, or no index.db or catalogue), and
 * one that holds events but lost index.db (`IndexLostError`, naming `eventlake repair index`).
 */
function assertDataDir(layout: DataDirLayout): void {
  const hint = 'point --data-dir (or EVENTLAKE_DATA_DIR) at the folder eventlake writes to';
  const [gap] = dataDirGaps(layout);
  if (gap === 'folder') throw new InvalidArgumentError('dataDir', `${layout.root} is not a folder; ${hint}`);
  // One that holds events but lost index.db is a data dir to repair, not a wrong path: name `repair index`.
  refuseLostIndex(layout);
  if (gap) throw new InvalidArgumentError('dataDir', `${layout.root} has no ${gap}, so it is not an eventlake data dir (or one that lost ${gap}: there is nothing to check it against); ${hint}`);
}
