// duplicateKeyMessage prints on a terminal: the key it quotes, and its path, show control characters as escapes.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { duplicateKeyMessage, findDuplicateJsonKey, refuseDuplicateJsonKey } from '../../domain/json-duplicate-keys.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';

const test = suite('domain: duplicateKeyMessage escaping');

/** The message for the first duplicate key of `text`. */
function messageOf(text: string): string {
  const duplicate = findDuplicateJsonKey(text);
  assert.ok(duplicate, 'the text holds a duplicate key');
  return duplicateKeyMessage(duplicate, 'column 1');
}

const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('a duplicate key holding a C1 control (CSI U+009B) is quoted with it escaped', () => {
  const message = messageOf('{"a\u009b2Jb":1,"a\u009b2Jb":2}');
  assert.not.match(message, RAW_CONTROL);
  assert.match(message, 'duplicate key "a\\u009b2Jb"');
});

test('a duplicate key holding bidi overrides and isolates is quoted with them escaped', () => {
  const message = messageOf('{"x\u202eyz\u2066":1,"x\u202eyz\u2066":2}');
  assert.not.match(message, RAW_CONTROL);
  assert.match(message, 'duplicate key "x\\u202eyz\\u2066"');
});

test('the path of a duplicate key nested under a key with controls is escaped too', () => {
  const message = messageOf('{"p\u202aq":{"k":1,"k":2}}');
  assert.not.match(message, RAW_CONTROL);
  assert.match(message, 'at $["p\\u202aq"].k');
});

test('a plain key is quoted as before', () => {
  assert.match(messageOf('{"Amount":"1.00","Amount":"1000.00"}'), 'duplicate key "Amount" at $.Amount (column 1)');
});

test('the refusal thrown for a duplicate key carries the escaped message', () => {
  try {
    refuseDuplicateJsonKey('{"\u0085":1,"\u0085":2}', 'line 1');
    assert.unreachable('a duplicate key is refused');
  } catch (error) {
    assert.instance(error, InvalidArgumentError);
    assert.not.match((error as Error).message, RAW_CONTROL);
    assert.match((error as Error).message, '"\\u0085"');
  }
});

test.run();
