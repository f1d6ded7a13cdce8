// The text form of `eventlake check`'s report: the verdict, what was checked, the journal kept, whether an archive run
// made it check twice, then each finding with its examples (harmless ones, compaction leftovers among them, marked as
// the --target aws render marks them), and the events the journal holds that index.db does not count yet.

import { FINDINGS, HARMLESS_FINDINGS, type FindingKind, type LogCheckReport } from '../../adapters/local/log-check-report.ts';
import type { JournalRetention } from '../../adapters/local/log-check-journal.ts';
import type { JournalNotIndexed } from '../../adapters/local/journal-not-indexed.ts';
import { bareCommand, type SpellCommand } from '../../domain/command-spelling.ts';
import { printable } from '../../domain/printable.ts';
import { compactionLeftoverFinding } from '../../projections/log-index-check-report.ts';
import { invalidEventFinding } from '../../projections/log-index-check-schemas.ts';

/**
 * Lines for people: categories with a count only, harmless ones marked, examples indented under them. `spell` spells
 * the commands they name (the CLI's global options). `notIndexed`, when it counts any, is told last, as a harmless
 * finding: events stored past the indexer's cursor, with the command that indexes them.
 */
export function renderCheck(report: LogCheckReport, spell: SpellCommand = bareCommand, notIndexed?: JournalNotIndexed): string[] {
  const { checked } = report;
  const out = [
    `${report.dataDir}: ${report.whole ? 'whole' : 'NOT whole'}`,
    `checked ${checked.objects} objects, ${checked.lines} event lines, ${checked.indexRows} index rows, ${checked.catalogueIdentities} catalogue identities` +
      ` (identity digests ${checked.digestsAgree ? 'agree' : 'differ'})`,
    journalLine(report.journal),
  ];
  if (report.rechecked) out.push('checked twice: an archive run (archive run, or the compaction serve and run do by themselves) held the archive lease during the first walk, whose moves would read as damage; this is the second walk, once it was free');
  for (const kind of Object.keys(FINDINGS) as FindingKind[]) {
    const { count, examples, omitted } = report.findings[kind];
    if (count === 0) continue;
    out.push(`${kind}: ${count}${HARMLESS_FINDINGS.has(kind) ? ' (harmless)' : ''} — ${meaning(kind, spell)}`);
    // Examples quote identities and fields of stored events, which an older version may have stored with controls.
    for (const example of examples) out.push(`  ${printable(example)}`);
    if (omitted > 0) out.push(`  … ${omitted} more not shown (--limit)`);
  }
  if (notIndexed !== undefined && notIndexed.events > 0) out.push(notIndexedFinding(notIndexed, spell));
  return out;
}

/**
 * Events durable in the journal past the indexer's cursor: stored (an emit killed before it indexed them, or before it
 * recorded them in the catalogue, leaves them), not yet in index.db, so in no count above; the next catch-up adds them.
 */
function notIndexedFinding(n: JournalNotIndexed, spell: SpellCommand): string {
  return `journalNotIndexed: ${n.events} (harmless) — events durable in the journal past the indexer's cursor (offsets ${n.indexerCursor} to ${n.journalEnd}), ` +
    `stored but not yet indexed, as an emit killed before indexing them leaves them: \`${spell('run')}\` (or any emit or read) indexes them`;
}

/** What a finding means; those naming a command, with it spelled as the user runs eventlake. */
function meaning(kind: FindingKind, spell: SpellCommand): string {
  if (kind === 'compactionLeftover') return compactionLeftoverFinding(spell);
  // Not "the next open": status and check open the data dir without indexing; a catch-up indexes them.
  if (kind === 'pendingIndex') return `identities still in the journal past the indexer cursor: harmless, \`${spell('run')}\` (or any emit or read) indexes them`;
  return kind === 'invalidEvent' ? invalidEventFinding(spell) : FINDINGS[kind];
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? plural(bytes, 'byte') : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** What the journal keeps and how much of it the indexer holds: a stalled indexer shows here before the disk fills. */
function journalLine(journal: JournalRetention): string {
  const { heldByIndexer: held } = journal;
  return `journal: ${plural(journal.segments, 'segment')}, ${size(journal.bytes)} kept (offsets ${journal.start} to ${journal.end}); ` +
    (held.segments === 0 ? `the indexer (cursor ${journal.indexerCursor} in index.db) holds none of them`
      : `the indexer (cursor ${journal.indexerCursor} in index.db) holds ${plural(held.segments, 'segment')}, ${size(held.bytes)}, until it reads past them`);
}
