// Printing results: aligned text tables for people, NDJSON for machines.

import { printable } from '../domain/printable.ts';

/**
 * Print rows as NDJSON (`json`) or as an aligned table with a header, each cell's control characters escaped
 * (`\u001b`): cells hold event text (a Reference, a dead letter's error), which must not drive the terminal.
 */
export function printRows(rows: readonly Record<string, unknown>[], json: boolean, out: NodeJS.WritableStream = process.stdout): void {
  const printer = new RowPrinter(json, out);
  printer.print(rows);
  printer.end();
}

/**
 * `printRows` for rows that come in parts (an emit appended a chunk at a time): NDJSON as each part comes, or one
 * table whose header is printed with the first part. A column is as wide as its widest cell so far, so a later part
 * with a wider cell shifts only its own rows.
 */
export class RowPrinter {
  private columns: string[] | undefined;
  private widths: number[] = [];

  constructor(private readonly json: boolean, private readonly out: NodeJS.WritableStream = process.stdout) {}

  print(rows: readonly Record<string, unknown>[]): void {
    if (rows.length === 0) return;
    if (this.json) {
      for (const r of rows) this.out.write(`${JSON.stringify(r)}\n`);
      return;
    }
    const first = this.columns === undefined;
    const columns = (this.columns ??= Object.keys(rows[0]!));
    if (first) this.widths = columns.map((c) => c.length);
    const cells = rows.map((r) => columns.map((c) => (r[c] === undefined || r[c] === null ? '' : printable(String(r[c])))));
    // A loop, not Math.max(...cells): spreading one argument per row overflows the stack near 100k rows (an emit of
    // 200k events stored them all, then died printing its table).
    const widths = this.widths;
    for (const row of cells) row.forEach((v, i) => { if (v.length > widths[i]!) widths[i] = v.length; });
    const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
    if (first) this.out.write(`${line(columns)}\n`);
    for (const row of cells) this.out.write(`${line(row)}\n`);
  }

  /** Says `(none)` in a table that got no row (NDJSON prints nothing then). */
  end(): void {
    if (!this.json && this.columns === undefined) this.out.write('(none)\n');
  }
}
