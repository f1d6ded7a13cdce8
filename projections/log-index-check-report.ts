// The report of `checkLogAgainstIndex`: what the check can find in a log and its index, and bounded examples of each.

import { bareCommand, type SpellCommand } from '../domain/command-spelling.ts';
import { SCHEMA_FINDINGS } from './log-index-check-schemas.ts';
import { UNQUERYABLE_EVENT_FINDING } from './log-index-check-unwell.ts';

/**
 * What the port-level check can find. Each is counted; up to `limit` examples of each are kept. Every one of them
 * but the harmless ones (`HARMLESS_LOG_INDEX_FINDINGS`) makes the log not whole (archived objects are counted apart,
 * in `archived`, and never make it less than whole).
 */
export const LOG_INDEX_FINDINGS = {
  missingObject: 'index entries whose object is not in the log',
  wrongLocation: "index entries whose location does not hold exactly one whole event with the entry's identity",
  timeMismatch: "index entries whose event has another EventTimeStamp than the entry's",
  tornLine: 'lines of readable objects that are not one whole event',
  unindexedEvent: 'events whose identity no index entry holds',
  extraCopy: 'events stored at another place than the one their identity is indexed at (a second copy)',
  conflictingCopy: 'events stored at another place than the one their identity is indexed at, with other content: one identity stored twice (the index and the projections hold the indexed copy; decide which content is right)',
  indexedTwice: 'identities with more than one index entry',
  unqueryableEvent: UNQUERYABLE_EVENT_FINDING,
  // Only with a registry (`LogIndexCheckOptions.registry`; the CLI always gives one): replay's own validation, per event.
  invalidEvent: SCHEMA_FINDINGS.invalidEvent,
  unknownSchema: SCHEMA_FINDINGS.unknownSchema,
  compactionLeftover: compactionLeftoverFinding(bareCommand),
} as const;

/**
 * What the compaction leftover finding means, its `archive run` spelled by `spell` (the CLI's report adds the global
 * options given, so the command runs as printed).
 */
export function compactionLeftoverFinding(spell: SpellCommand): string {
  return 'events of batch or one-event objects an interrupted compaction left, each already in a segment of their hour ' +
    `byte for byte: harmless, the next compaction of the hour removes them (\`${spell('archive', 'run')}\`; on AWS also the ` +
    'next scheduled compaction, for hours within its 16-day lookback)';
}

export type LogIndexFindingKind = keyof typeof LOG_INDEX_FINDINGS;

/**
 * Findings that leave the log whole. A compaction leftover is a second copy, but one the next run removes and whose
 * bytes are the indexed ones: calling the log damaged for it would send an operator after a repair that is not needed.
 */
export const HARMLESS_LOG_INDEX_FINDINGS: ReadonlySet<LogIndexFindingKind> = new Set(['compactionLeftover']);

/** One category of the report. */
export interface LogIndexFinding {
  readonly count: number;
  /** Up to `limit` examples, each naming the key (and offset) and identity concerned and what is wrong. */
  readonly examples: readonly string[];
  /** Examples left off by the limit. */
  readonly omitted: number;
}

/** What was checked, what was counted but not read (archived), and what was found. */
export interface LogIndexCheckReport {
  /**
   * True when nothing but harmless findings was found: every readable entry holds its event and every readable event
   * is indexed once, stored elsewhere only as a compaction leftover.
   */
  readonly whole: boolean;
  readonly checked: {
    /** Readable objects listed (hot, or a restored copy of an archived one). */
    readonly objects: number;
    /** Event lines read from them. */
    readonly events: number;
    /** Index entries walked. */
    readonly indexEntries: number;
    /** Archived objects read through their restored copy. */
    readonly restoredObjects: number;
  };
  /** Objects in an archive class with no restored copy, and the index entries pointing at them: counted, never read. */
  readonly archived: { readonly objects: number; readonly events: number };
  /** Every category, zero counts included, so scripts can read any of them. */
  readonly findings: Readonly<Record<LogIndexFindingKind, LogIndexFinding>>;
}

/** Counts findings and keeps the first `limit` examples of each kind. */
export class LogIndexFindings {
  private readonly found = new Map<LogIndexFindingKind, { count: number; examples: string[]; omitted: number }>();

  constructor(private readonly limit: number) {}

  /**
   * `example` is only built when it will be kept, so a log with many findings costs no strings for the rest. One
   * example may stand for `count` items (a leftover object's events).
   */
  add(kind: LogIndexFindingKind, example: () => string, count = 1): void {
    const f = this.found.get(kind) ?? { count: 0, examples: [], omitted: 0 };
    f.count += count;
    if (f.examples.length < this.limit) f.examples.push(example());
    else f.omitted += 1;
    this.found.set(kind, f);
  }

  /** Every kind, with zero counts for those not found. */
  summary(): Record<LogIndexFindingKind, LogIndexFinding> {
    const out = {} as Record<LogIndexFindingKind, LogIndexFinding>;
    for (const kind of Object.keys(LOG_INDEX_FINDINGS) as LogIndexFindingKind[]) out[kind] = this.found.get(kind) ?? { count: 0, examples: [], omitted: 0 };
    return out;
  }

  /** Whether anything but a harmless finding was made. */
  get anyHarmful(): boolean {
    return [...this.found.keys()].some((kind) => !HARMLESS_LOG_INDEX_FINDINGS.has(kind));
  }
}
