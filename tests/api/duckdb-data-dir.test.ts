// DuckDbEventQuery's `dataDir` as an API user passes it: a path that is no folder is refused naming `dataDir`, as the
// CLI's query command refuses it, instead of answering every query with no rows.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'eventlake';
import { DuckDbEventQuery } from 'eventlake/local';
import { tempDir } from '../support/tmp.ts';

const test = suite('api: DuckDbEventQuery refuses a dataDir that is no folder');

function refusal(dataDir: string): unknown {
  try {
    void new DuckDbEventQuery({ dataDir }).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

test('a dataDir that does not exist is an InvalidArgumentError naming dataDir and the path', () => {
  const missing = join(tempDir('eventlake-api-'), 'no-such-lake');
  const error = refusal(missing);
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'dataDir');
  assert.ok((error as Error).message.includes(missing), 'the message names the path');
});

test('a dataDir that is a file is an InvalidArgumentError naming dataDir', () => {
  const file = join(tempDir('eventlake-api-'), 'notes.txt');
  writeFileSync(file, 'mine');
  const error = refusal(file);
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'dataDir');
});

test('an existing folder with no events yet is queried, answering no rows', async () => {
  const query = new DuckDbEventQuery({ dataDir: tempDir('eventlake-api-') });
  try {
    assert.equal((await query.sql('SELECT count(*) AS n FROM events')).rows, [{ n: 0 }]);
  } finally {
    await query.close();
  }
});

test.run();
