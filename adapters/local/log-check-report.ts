// The report of `checkLog`: finding categories, which of them leave the log whole, and bounded examples of each.

import { LOG_INDEX_FINDINGS } from '../../projections/log-index-check-report.ts';
import { SCHEMA_FINDINGS } from '../../projections/log-index-check-schemas.ts';
import { UNQUERYABLE_EVENT_FINDING } from '../../projections/log-index-check-unwell.ts';
import type { JournalRetention } from './log-check-journal.ts';
import type { JournalNotIndexed } from './journal-not-indexed.ts';

/**
 * What the check can find. Each is counted; up to `limit` examples of each are kept.
 * Harmless ones (see `HARMLESS_FINDINGS`) are reported but leave the log whole.
 */
export const FINDINGS = {
  missingObject: 'index rows whose object is on disk nowhere (hot, restored or archived)',
  wrongLocation: 'index rows whose offset/length is not exactly one line holding their event',
  timeMismatch: "index rows whose event has another EventTimeStamp than the row's time",
  storageMismatch: "index rows whose storage class is not where the object's bytes are (left by an archive run killed before it told the index: the next archive run, or repair index, sets them)",
  tornLine: 'torn or unparseable lines (or a one-event object that is not its canonical event)',
  misplacedLine: "events in an hour folder that is not their EventTimeStamp's hour",
  unindexedLine: 'whole event lines whose identity is in no index row',
  extraCopy: 'lines no index row names, of an identity indexed at another location (a second copy)',
  orphanObject: 'objects no index row names',
  unqueryableEvent: UNQUERYABLE_EVENT_FINDING,
  // Only with a registry (`LogCheckOptions.registry`; the CLI always gives one): replay's own validation, per event.
  invalidEvent: SCHEMA_FINDINGS.invalidEvent,
  unknownSchema: SCHEMA_FINDINGS.unknownSchema,
  // Worded as the port-level check words it: one rule (projections/log-index-check-leftover-rule.ts), one meaning.
  compactionLeftover: LOG_INDEX_FINDINGS.compactionLeftover,
  notInLayout: 'files or folders under the event trees that are not part of the layout',
  catalogueOnly: 'identities in journal/catalogue.db but not in index.db (and not waiting in the journal)',
  indexOnly: 'identities in index.db but not in journal/catalogue.db',
  tempFile: 'temp files left by a crash (.tmp-*): harmless, readers skip them; delete them while no process writes',
  pendingIndex: 'identities still in the journal past the indexer cursor: harmless; `eventlake run` (or any emit or read) indexes them',
  appendedDuringCheck: "events in batch objects of appends the catalogue had not recorded when the check copied it: appended while the check ran (or by a writer that crashed before recording them, which the next open of the data dir records): harmless, not checked; run the check again to check them",
  archivedNotRead: 'index rows in archived objects whose bytes were not read (readArchived: false)',
} as const;

export type FindingKind = keyof typeof FINDINGS;

/** Findings that do not make the log less than whole. */
export const HARMLESS_FINDINGS: ReadonlySet<FindingKind> = new Set(['tempFile', 'pendingIndex', 'appendedDuringCheck', 'archivedNotRead', 'compactionLeftover']);

/** One category of the report. */
export interface FindingSummary {
  readonly count: number;
  /** Up to `limit` examples, each naming the key (and offset), identity or path concerned and what is wrong. */
  readonly examples: readonly string[];
  /** Examples left off by the limit (an example may stand for several counted items: an object's rows). */
  readonly omitted: number;
}

/** What was checked, and what was found. */
export interface LogCheckReport {
  readonly dataDir: string;
  /** True when no finding other than a harmless one was made. */
  readonly whole: boolean;
  readonly checked: {
    readonly objects: number;
    readonly lines: number;
    readonly indexRows: number;
    readonly catalogueIdentities: number;
    /** Whether the catalogue's and the index's identity digests agreed (a set diff ran only when not). */
    readonly digestsAgree: boolean;
  };
  /** The journal kept on disk and what the indexer holds of it: information, it never makes the log less than whole. */
  readonly journal: JournalRetention;
  /**
   * Events durable in the journal past the indexer's cursor of the index.db copy the check read (an emit killed
   * before indexing them): in no copy the check compared, harmless, indexed by the next emit or read. As `status` counts.
   */
  readonly journalNotIndexed: JournalNotIndexed;
  /**
   * True when an archive run (`eventlake archive run`, the compaction `serve` and `run` do by themselves) took or held
   * the archive lease during the first walk, whose findings would have counted its moves as damage: the check waited
   * for the lease to be free and walked again, and this report is the second walk's, as strict as any.
   */
  readonly rechecked: boolean;
  /** Every category, zero counts included, so scripts can read any of them. */
  readonly findings: Readonly<Record<FindingKind, FindingSummary>>;
}

/** Counts findings and keeps the first `limit` examples of each kind. */
export class Findings {
  private readonly counts = new Map<FindingKind, number>();
  private readonly examples = new Map<FindingKind, string[]>();
  private readonly omitted = new Map<FindingKind, number>();

  constructor(private readonly limit: number) {}

  add(kind: FindingKind, example: () => string, count = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + count);
    const list = this.examples.get(kind) ?? [];
    if (list.length < this.limit) list.push(example());
    else this.omitted.set(kind, (this.omitted.get(kind) ?? 0) + 1);
    this.examples.set(kind, list);
  }

  count(kind: FindingKind): number {
    return this.counts.get(kind) ?? 0;
  }

  summary(): { whole: boolean; findings: Record<FindingKind, FindingSummary> } {
    const findings = {} as Record<FindingKind, FindingSummary>;
    let whole = true;
    for (const kind of Object.keys(FINDINGS) as FindingKind[]) {
      findings[kind] = { count: this.count(kind), examples: this.examples.get(kind) ?? [], omitted: this.omitted.get(kind) ?? 0 };
      if (this.count(kind) > 0 && !HARMLESS_FINDINGS.has(kind)) whole = false;
    }
    return { whole, findings };
  }
}
