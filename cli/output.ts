// Printing results: aligned text tables for people, NDJSON for machines.

/** Print rows as NDJSON (`json`) or as an aligned table with a header. */
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
  const cells = rows.map((r) => columns.map((c) => (r[c] === undefined || r[c] === null ? '' : String(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  out.write(`${line(columns)}\n`);
  for (const row of cells) out.write(`${line(row)}\n`);
}
