// Control characters in event text (ESC sequences, OSC, CR, NUL, newlines, C1 and bidi controls) are data: stored as
// sent, kept in --json and CSV, but shown escaped (`\u001b`) in the tables and error messages printed on a terminal,
// which printed them raw, letting an event's Reference clear or rewrite the operator's screen.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { formatResult } from '../../cli/commands/query.ts';
import { printRows } from '../../cli/output.ts';
import { printable } from '../../domain/printable.ts';
import { runCli } from '../security/cli-run.ts';
import { cardPayment, cardSchemaWith } from '../support/account-fields.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('terminal output escapes control characters');

const HOSTILE = 'a\x1b[2Jb\x1b]0;title\x07c\r\x1b[2Kd\x00e\nf\u009bg\u202eh\u2066i';
const SHOWN = 'a\\u001b[2Jb\\u001b]0;title\\u0007c\\u000d\\u001b[2Kd\\u0000e\\u000af\\u009bg\\u202eh\\u2066i';
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** What `print` writes to a stream. */
function written(print: (out: NodeJS.WritableStream) => void): string {
  let text = '';
  print(new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }));
  return text;
}

test('printable writes C0, C1 and bidi controls as \\u escapes and leaves other text as it is', () => {
  assert.is(printable(HOSTILE), SHOWN);
  assert.is(printable('Zahlung für Müller ✓'), 'Zahlung für Müller ✓');
});

test('a table cell (balance, dlq list, emit) shows control characters escaped, on one line', () => {
  const text = written((out) => printRows([{ account: 'DE44', reference: HOSTILE }], false, out));
  assert.ok(text.includes(SHOWN), text);
  assert.not.match(text, UNSAFE);
  assert.is(text.split('\n').length, 3); // header, one row, the final newline
});

test('--json rows keep the text exactly (JSON escapes it already)', () => {
  const text = written((out) => printRows([{ reference: HOSTILE }], true, out));
  assert.equal(JSON.parse(text), { reference: HOSTILE });
});

test('the query table shows control characters escaped; CSV keeps the text as it is', () => {
  const result = { columns: ['Reference'], rows: [{ Reference: HOSTILE }], stats: {}, unreadable: [] };
  const table = formatResult(result, 'table');
  assert.ok(table.includes(SHOWN), table);
  assert.not.match(table, UNSAFE);
  assert.ok(formatResult(result, 'csv').includes(HOSTILE));
});

test('an invalid RequestId echoed in emit\'s error is shown escaped, not sent to the terminal', async () => {
  const dir = tempDir();
  const file = join(dir, 'events.json');
  writeFileSync(file, JSON.stringify({ ...SAMPLES['incoming_payment'], RequestId: 'x\x1b]0;pwned\x07\r\x1b[2K' }));
  const r = await runCli(['--data-dir', join(dir, 'lake'), 'emit', file]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'incoming_payment_x\\u001b]0;pwned\\u0007\\u000d\\u001b[2K');
  assert.not.match(r.stderr, UNSAFE);
});

test('an unknown field whose name holds control characters is named escaped in emit\'s error', async () => {
  const dir = tempDir();
  const file = join(dir, 'events.json');
  writeFileSync(file, JSON.stringify({ ...SAMPLES['incoming_payment'], 'X\x1b[31mRED': 1 }));
  const r = await runCli(['--data-dir', join(dir, 'lake'), 'emit', file]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, '/X\\u001b[31mRED: is not a field of this event type');
  assert.not.match(r.stderr, UNSAFE);
});

test('events lists a user type\'s account holding control characters escaped', async () => {
  const dir = tempDir();
  const schemas = cardSchemaWith((schema, properties) => {
    schema['x-eventlake-accounts'] = ['CardAccount'];
    properties['CardAccount'] = { type: 'string', maxLength: 40 };
  });
  const file = join(dir, 'events.json');
  writeFileSync(file, JSON.stringify(cardPayment(1, 1234567890, 'M\x1b[2J\u202e1')));
  const global = ['--data-dir', join(dir, 'lake'), '--schemas', schemas];
  const emitted = await runCli([...global, 'emit', file]);
  assert.is(emitted.code, 0, emitted.stderr);
  const listed = await runCli([...global, 'events', '--since', '2009-01-01T00:00:00Z', '--until', '2010-01-01T00:00:00Z']);
  assert.is(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, 'M\\u001b[2J\\u202e1');
  assert.not.match(listed.stdout, UNSAFE);
});

test.run();
