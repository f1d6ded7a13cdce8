// printRows for as many rows as one emit can answer: a 200k-event emit stores every event, so its table must print
// too, not end in a stack overflow (exit 3) after the events are durable.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { printRows } from '../../cli/output.ts';

const test = suite('printRows: large tables');

test('a table of 200,000 rows prints every row, aligned to the widest cell', () => {
  let text = '';
  const out = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  const rows = Array.from({ length: 200_000 }, (_, i) => ({ status: 'stored', id: `e${i}` }));
  printRows(rows, false, out);
  const lines = text.trimEnd().split('\n');
  assert.is(lines.length, 200_001);
  assert.is(lines[0], 'status  id');
  assert.is(lines[200_000], 'stored  e199999');
  assert.is(lines[1], 'stored  e0');
});

test.run();
