// RowPrinter: rows printed in parts (an emit's chunks) read as one table, or as NDJSON line by line.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { printRows, RowPrinter } from '../../cli/output.ts';

const test = suite('RowPrinter');

function sink(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { out, text: () => chunks.join('') };
}

test('parts print under one header, in the order they came', () => {
  const { out, text } = sink();
  const printer = new RowPrinter(false, out);
  printer.print([{ status: 'stored', id: 'a' }]);
  printer.print([{ status: 'duplicate', id: 'b' }, { status: 'stored', id: 'c' }]);
  printer.end();
  assert.equal(text().split('\n'), ['status  id', 'stored  a', 'duplicate  b', 'stored     c', '']);
});

test('one part prints exactly what printRows prints', () => {
  const rows = [{ account: 'ACC-1', balance: '1.00' }, { account: 'ACC-000002', balance: '-20.00' }];
  const [one, whole] = [sink(), sink()];
  const printer = new RowPrinter(false, one.out);
  printer.print(rows);
  printer.end();
  printRows(rows, false, whole.out);
  assert.is(one.text(), whole.text());
  assert.is(whole.text(), 'account     balance\nACC-1       1.00\nACC-000002  -20.00\n');
});

test('a table that got no row says (none); NDJSON says nothing', () => {
  const [table, json] = [sink(), sink()];
  for (const [s, asJson] of [[table, false], [json, true]] as const) {
    const printer = new RowPrinter(asJson, s.out);
    printer.print([]);
    printer.end();
  }
  assert.is(table.text(), '(none)\n');
  assert.is(json.text(), '');
});

test('NDJSON prints each part\'s rows as it comes, one object per line', () => {
  const { out, text } = sink();
  const printer = new RowPrinter(true, out);
  printer.print([{ id: 'a' }]);
  assert.is(text(), '{"id":"a"}\n');
  printer.print([{ id: 'b' }]);
  printer.end();
  assert.is(text(), '{"id":"a"}\n{"id":"b"}\n');
});

test.run();
