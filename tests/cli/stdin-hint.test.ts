// Reading events from stdin: on a terminal the CLI says it is waiting for input (a bare `eventlake emit` otherwise
// looks hung); from a pipe it says nothing, so scripts see only results on stdout and errors on stderr.

import { Readable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readEventsInput } from '../../cli/input.ts';

const test = suite('reading events from stdin (CLI)');

function stdin(text: string, isTTY: boolean) {
  return Object.assign(Readable.from([Buffer.from(text)]), { isTTY });
}

test('on a terminal, a hint on stderr says stdin is read until Ctrl-D, and the events are parsed', async () => {
  let err = '';
  const events = await readEventsInput(undefined, { stdin: stdin('{"a":1}\n{"b":2}\n', true), stderr: { write: (t: string) => (err += t) } });
  assert.equal(events, [{ a: 1 }, { b: 2 }]);
  assert.is(err, 'eventlake: reading events from stdin (end with Ctrl-D), or give a FILE\n');
});

test('from a pipe nothing is written to stderr', async () => {
  let err = '';
  const events = await readEventsInput('-', { stdin: stdin('[{"a":1}]', false), stderr: { write: (t: string) => (err += t) } });
  assert.equal(events, [{ a: 1 }]);
  assert.is(err, '');
});

test.run();
