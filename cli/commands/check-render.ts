// The text form of `eventlake check`'s report: the verdict, what was checked, then each finding with its examples.

import { FINDINGS, HARMLESS_FINDINGS, type FindingKind, type LogCheckReport } from '../../adapters/local/log-check-report.ts';

/** Lines for people: categories with a count only, harmless ones marked, examples indented under them. */
export function renderCheck(report: LogCheckReport): string[] {
  const { checked } = report;
  const out = [
    `${report.dataDir}: ${report.whole ? 'whole' : 'NOT whole'}`,
    `checked ${checked.objects} objects, ${checked.lines} event lines, ${checked.indexRows} index rows, ${checked.catalogueIdentities} catalogue identities` +
      ` (identity digests ${checked.digestsAgree ? 'agree' : 'differ'})`,
  ];
  for (const kind of Object.keys(FINDINGS) as FindingKind[]) {
    const { count, examples, omitted } = report.findings[kind];
    if (count === 0) continue;
    out.push(`${kind}: ${count}${HARMLESS_FINDINGS.has(kind) ? ' (harmless)' : ''} — ${FINDINGS[kind]}`);
    for (const example of examples) out.push(`  ${example}`);
    if (omitted > 0) out.push(`  … ${omitted} more not shown (--limit)`);
  }
  return out;
}
