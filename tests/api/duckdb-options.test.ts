// DuckDbEventQuery's options as an API user passes them: a misspelt key, a missing dataDir or a value of the wrong type
// is refused at construction with InvalidArgumentError naming it, not ignored or failed at the first query.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from 'eventlake';
import { DuckDbEventQuery } from 'eventlake/local';
import { tempDir } from '../support/tmp.ts';

const test = suite('api: DuckDbEventQuery refuses unknown options and wrong types');

/** The refusal of constructing with `options` (cast: JavaScript callers pass anything). */
function refusal(options: unknown): InvalidArgumentError {
  try {
    void new DuckDbEventQuery(options as never).close();
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error;
    assert.unreachable(`expected InvalidArgumentError, got ${String(error)}`);
  }
  return assert.unreachable('not refused') as never;
}

test('a misspelt option (extracolumns) is refused naming it, the option meant and the known ones', () => {
  const error = refusal({ dataDir: tempDir('eventlake-api-'), extracolumns: [] });
  assert.is(error.argument, 'extracolumns');
  assert.match(error.message, 'unknown key in the options of DuckDbEventQuery (did you mean extraColumns?); known keys: dataDir, extraColumns');
});

test('a missing dataDir is refused naming dataDir, as openLocalEventlake does, not a bare "paths[0]"', () => {
  for (const options of [{}, undefined]) {
    const error = refusal(options);
    assert.is(error.argument, 'dataDir');
    assert.match(error.message, 'is missing, which names no folder');
  }
});

test('an empty dataDir is refused: it would query the current directory', () => {
  assert.is(refusal({ dataDir: '' }).argument, 'dataDir');
});

test('a number given as a string (cacheRows: "10") is refused naming the option and the value', () => {
  const error = refusal({ dataDir: tempDir('eventlake-api-'), cacheRows: '10' });
  assert.is(error.argument, 'cacheRows');
  assert.match(error.message, 'got a string ("10")');
});

test('columns given as no array are refused naming extraColumns', () => {
  assert.is(refusal({ dataDir: tempDir('eventlake-api-'), extraColumns: { Fee: 'DECIMAL' } }).argument, 'extraColumns');
});

test.run();
