// Reading events from a file or stdin (emit, validate) takes UTF-8 text only, and names the line of any error as the
// file counts it: bytes that are not UTF-8 (a Latin-1 export) were silently replaced with U+FFFD and the event stored
// with an account or reference that was never sent, and blank lines before the first event shifted every line number.

import { Readable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readEventsInput } from '../../cli/input.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('reading events from a file or stdin: bytes and line numbers');

const quiet = (bytes: Buffer) => ({ stdin: Object.assign(Readable.from([bytes]), { isTTY: false }), stderr: { write: () => true } });
/** `{"Reference":"M?ller"}` with ? a Latin-1 ü (0xfc), which is no UTF-8. */
const latin1Line = Buffer.concat([Buffer.from('{"Reference":"M'), Buffer.from([0xfc]), Buffer.from('ller"}')]);

async function refusal(read: Promise<unknown>): Promise<InvalidArgumentError> {
  const error = await read.then(() => undefined, (e: unknown) => e);
  assert.instance(error, InvalidArgumentError);
  return error as InvalidArgumentError;
}

test('a file with a byte that is not UTF-8 is refused, naming its line and the fix', async () => {
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, Buffer.concat([Buffer.from('{"a":1}\n{"b":2}\n'), latin1Line, Buffer.from('\n')]));
  const error = await refusal(readEventsInput(file, quiet(Buffer.alloc(0))));
  assert.is(error.message, 'line 3: is not UTF-8 text: encode the events as UTF-8 (e.g. iconv -f latin1 -t utf-8), JSON\'s only encoding');
});

test('stdin with a byte that is not UTF-8 is refused the same way', async () => {
  const error = await refusal(readEventsInput('-', quiet(latin1Line)));
  assert.match(error.message, /^line 1: is not UTF-8 text/);
});

test('a bad NDJSON line after blank lines is named by its line in the file', async () => {
  const error = await refusal(readEventsInput('-', quiet(Buffer.from('\n\n\n{"a":1}\n{bad\n'))));
  assert.match(error.message, /^line 5: not valid JSON/);
});

test('a UTF-8 byte order mark and CRLF line ends are read as text, not as errors', async () => {
  const events = await readEventsInput('-', quiet(Buffer.from('\ufeff{"a":"ü"}\r\n{"b":2}\r\n')));
  assert.equal(events, [{ a: 'ü' }, { b: 2 }]);
});

test.run();
