// refuseUnknownKeys: an unknown key in an options object is refused naming it, the close known key, and all of them.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { closestKey, describeValue, KIND, refuseUnknownKeys, refuseWrongKinds } from '../../domain/known-keys.ts';

const test = suite('known-keys');
const KNOWN = ['dataDir', 'schemaFolders', 'dispatch'];

function refusal(given: object, path?: string): InvalidArgumentError {
  try {
    refuseUnknownKeys(given, KNOWN, 'the options of openLocalEventlake', path);
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error;
    throw error;
  }
  throw new Error('not refused');
}

test('a misspelt key is refused naming it, the key it is close to, and every known key', () => {
  const error = refusal({ dataDir: '/d', schemaFolder: ['x'] });
  assert.is(error.code, 'INVALID_ARGUMENT');
  assert.is(error.argument, 'schemaFolder');
  assert.is(error.message, 'schemaFolder: unknown key in the options of openLocalEventlake (did you mean schemaFolders?); known keys: dataDir, schemaFolders, dispatch');
});

test('a key close to none gets no guess', () => {
  assert.is(refusal({ bogus: 1 }).message, 'bogus: unknown key in the options of openLocalEventlake; known keys: dataDir, schemaFolders, dispatch');
});

test('a nested key is named with its path, guess included', () => {
  const error = refusal({ datadir: 1 }, 'dispatch.');
  assert.is(error.argument, 'dispatch.datadir');
  assert.match(error.message, '(did you mean dispatch.dataDir?)');
});

test('known keys only pass', () => {
  refuseUnknownKeys({ dataDir: '/d', dispatch: {} }, KNOWN, 'x');
  assert.ok(true);
});

test('the closest key ignores case and stays within a third of its length', () => {
  assert.is(closestKey('DATADIR', KNOWN), 'dataDir');
  assert.is(closestKey('extracolumns', ['extraColumns', 'dataDir']), 'extraColumns');
  assert.is(closestKey('data', KNOWN), undefined);
});

test('a value is described by its kind, with its article', () => {
  assert.equal([null, undefined, [], {}, 'x', 1, true].map(describeValue), ['null', 'undefined', 'an array', 'an object', 'a string', 'a number', 'a boolean']);
});

test('a value of the wrong kind is refused naming the option (with its path), what it should be, and what it is', () => {
  const kinds = { cacheRows: KIND.number('a whole number of rows >= 0', 0, true), now: KIND.function('a function') };
  assert.throws(() => refuseWrongKinds({ cacheRows: '10' }, kinds, 'query.'), (e: unknown) =>
    e instanceof InvalidArgumentError && e.message === 'query.cacheRows: expected a whole number of rows >= 0, got a string ("10")');
  assert.throws(() => refuseWrongKinds({ cacheRows: 1.5 }, kinds), /cacheRows: .*got a number \(1\.5\)/);
  assert.throws(() => refuseWrongKinds({ now: 5 }, kinds), /now: expected a function, got a number/);
});

test('unset options and values of their kind pass', () => {
  refuseWrongKinds({ cacheRows: 0, now: () => 1, other: 'x' }, { cacheRows: KIND.number('n', 0, true), now: KIND.function('f'), absent: KIND.array('a') });
  assert.ok(true);
});

test.run();
