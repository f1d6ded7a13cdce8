// The text form of `eventlake check --target aws`'s report: the verdict, what was read, what was archived and not
// read, then each finding with its examples (the local report's shape, for the port-level check).

import { bareCommand, type SpellCommand } from '../../domain/command-spelling.ts';
import { printable } from '../../domain/printable.ts';
import {
  compactionLeftoverFinding, HARMLESS_LOG_INDEX_FINDINGS, LOG_INDEX_FINDINGS, type LogIndexCheckReport, type LogIndexFindingKind,
} from '../../projections/log-index-check-report.ts';
import { invalidEventFinding } from '../../projections/log-index-check-schemas.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Lines for people: categories with a count only, harmless ones marked (they leave the stack whole), examples indented
 * under them. `where` names the stack (s3://bucket); `spell` spells the commands they name (the CLI's global options).
 */
export function renderAwsCheck(where: string, report: LogIndexCheckReport, spell: SpellCommand = bareCommand): string[] {
  const { checked, archived } = report;
  const out = [
    `${where}: ${report.whole ? 'whole' : 'NOT whole'}`,
    `checked ${plural(checked.objects, 'object')} (${plural(checked.restoredObjects, 'restored copy', 'restored copies')}), ` +
      `${plural(checked.events, 'event line')}, ${plural(checked.indexEntries, 'index entry', 'index entries')}`,
  ];
  // Archived objects are part of the log; saying how many were not read keeps "whole" from claiming more than it read.
  if (archived.objects > 0 || archived.events > 0) {
    out.push(`archived, not read: ${plural(archived.objects, 'object')} holding ${plural(archived.events, 'indexed event')} (restore them to check their bytes; the check starts no restore)`);
  }
  for (const kind of Object.keys(LOG_INDEX_FINDINGS) as LogIndexFindingKind[]) {
    const { count, examples, omitted } = report.findings[kind];
    if (count === 0) continue;
    const meaning = kind === 'compactionLeftover' ? compactionLeftoverFinding(spell) : kind === 'invalidEvent' ? invalidEventFinding(spell) : LOG_INDEX_FINDINGS[kind];
    out.push(`${kind}: ${count}${HARMLESS_LOG_INDEX_FINDINGS.has(kind) ? ' (harmless)' : ''} — ${meaning}`);
    for (const example of examples) out.push(`  ${printable(example)}`); // identities of stored events may hold controls
    if (omitted > 0) out.push(`  … ${omitted} more not shown (--limit)`);
  }
  return out;
}
