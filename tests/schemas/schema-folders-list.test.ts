// assertSchemaFolders takes a list of folders: whatever is no list of paths is refused as such, naming the setting
// (openLocalEventlake's schemaFolders, the CDK's EventLakeProps.schemaFolders), not read one character at a time.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { assertSchemaFolders } from '../../schemas/schema-file.ts';

const test = suite('assertSchemaFolders: a list of folder paths');
const SOURCE = { argument: 'EventLakeProps.schemaFolders', relativeTo: 'the current directory' };

function refusal(folders: unknown): InvalidArgumentError {
  try {
    assertSchemaFolders(folders, SOURCE);
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error;
    throw error;
  }
  throw new Error('not refused');
}

test('one folder given as a string is refused with the list it should be', () => {
  const error = refusal('./my-schemas');
  assert.is(error.argument, 'EventLakeProps.schemaFolders');
  assert.is(error.message, 'EventLakeProps.schemaFolders: expected an array of folder paths, got a string: give ["./my-schemas"]');
});

test('an item that is no path, or an empty one, is refused naming its place', () => {
  assert.match(refusal(['./a', 5]).message, 'item 1 is a number');
  assert.match(refusal(['']).message, 'item 0 is a string (empty)');
});

test('an empty list passes', () => {
  assertSchemaFolders([], SOURCE);
  assert.ok(true);
});

test.run();
