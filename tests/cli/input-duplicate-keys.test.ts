// `eventlake emit` (a file, stdin) and the config file refuse JSON whose object holds a key twice: JSON.parse kept
// the last, so `{"Amount":"1.00","Amount":"1000.00"}` was stored as 1000.00 for good.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigFile } from '../../cli/target.ts';
import { parseEventsText } from '../../cli/input.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('emit input and config: duplicate JSON keys');

const FIX = 'a JSON object may hold a key once (JSON.parse would silently keep the last); remove one of the two';

const refusedWith = (message: string) => (e: unknown) => e instanceof InvalidArgumentError && e.message === message;

test('an NDJSON line holding a key twice is refused, naming the line, the key, its path and column', () => {
  const text = '{"a":1}\n\n{"Amount":"1.00","Amount":"1000.00"}\n';
  assert.throws(() => parseEventsText(text), refusedWith(`line 3: duplicate key "Amount" at $.Amount (column 18): ${FIX}`));
});

test('a JSON array whose fourth event holds a nested key twice is refused, naming its path and line', () => {
  const text = '\n[{"a":1},{"a":2},{"a":3},\n {"Details": {"Currency": "EUR", "Currency": "USD"}}]';
  assert.throws(() => parseEventsText(text), refusedWith(`line 3: duplicate key "Currency" at $[3].Details.Currency (column 34): ${FIX}`));
});

test('one JSON object holding a key written once plainly and once escaped is refused', () => {
  assert.throws(() => parseEventsText('{"Amount":"1.00","\\u0041mount":"1000.00"}'), refusedWith(`line 1: duplicate key "Amount" at $.Amount (column 18): ${FIX}`));
});

test('a config file holding a key twice is refused, naming the file, the key and the fix', () => {
  const file = join(tempDir(), 'eventlake.json');
  writeFileSync(file, '{"target": "local",\n "target": "aws"}');
  assert.throws(() => readConfigFile(file), refusedWith(`--config ${file}: duplicate key "target" at $.target (line 2, column 2): ${FIX}`));
});

test.run();
