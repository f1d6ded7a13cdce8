// Printing results: aligned text tables for people, NDJSON for machines.

import { printable } from '../domain/printable.ts';

/**
 * Print rows as NDJSON (`json`) or as an aligned table with a header, each cell's control characters escaped
 * (`\u001b`): cells hold event text (a Reference, a dead letter's error), which must not drive the terminal.
 */
export function printRows(rows: readonly Record<string, unknown>[], json: boolean, out: NodeJS.WritableStream = process.stdout): void {
  if (json) {
    for (const r of rows) out.write(`${JSON.stringify(r)}\n`);
    return;
  }
  if (rows.length === 0) {
    out.write('(none)\n');
    return;
  }
  const columns = Object.keys(rows[0]!);
  const cells = rows.map((r) => columns.map((c) => (r[c] === undefined || r[c] === null ? '' : printable(String(r[c])))));
  // A loop, not Math.max(...cells): spreading one argument per row overflows the stack near 100k rows (an emit of
  // 200k events stored them all, then died printing its table).
  const widths = columns.map((c) => c.length);
  for (const row of cells) row.forEach((v, i) => { if (v.length > widths[i]!) widths[i] = v.length; });
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  out.write(`${line(columns)}\n`);
  for (const row of cells) out.write(`${line(row)}\n`);
}
