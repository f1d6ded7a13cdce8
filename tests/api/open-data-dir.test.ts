// openLocalEventlake's `dataDir` as an API user passes it: a value that names no folder eventlake may write to is refused
// with InvalidArgumentError on `dataDir`, before anything is written (the CLI always passes a resolved path).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'eventlake';
import { openLocalEventlake } from 'eventlake/local';
import { tempDir } from '../support/tmp.ts';

const test = suite('api: openLocalEventlake refuses a dataDir that is no folder path');

async function refusal(dataDir: unknown): Promise<unknown> {
  return openLocalEventlake({ dataDir: dataDir as string }).then(async (local) => {
    await local.close();
    return undefined;
  }, (e: unknown) => e);
}

/** Runs `fn` with an empty folder as the current directory, so whatever it writes there can be seen. */
async function inEmptyCwd(fn: () => Promise<void>): Promise<string[]> {
  const dir = tempDir('eventlake-cwd-');
  const before = process.cwd();
  process.chdir(dir);
  try {
    await fn();
  } finally {
    process.chdir(before);
  }
  return readdirSync(dir);
}

test('an empty dataDir is refused naming dataDir, and nothing is written into the current directory', async () => {
  let error: unknown;
  const written = await inEmptyCwd(async () => void (error = await refusal('')));
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'dataDir');
  assert.match((error as Error).message, /\.eventlake/);
  assert.equal(written, []);
});

test('a missing dataDir (undefined, as from JavaScript) is an InvalidArgumentError naming dataDir, not a TypeError', async () => {
  const error = await refusal(undefined);
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'dataDir');
});

test('a dataDir that is a file is refused naming dataDir and the file, which is left as it was', async () => {
  const file = join(tempDir('eventlake-api-'), 'notes.txt');
  writeFileSync(file, 'mine');
  const error = await refusal(file);
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'dataDir');
  assert.ok((error as Error).message.includes(file), 'the message names the path');
  assert.is(readFileSync(file, 'utf8'), 'mine');
});

test('a dataDir under a file is refused naming dataDir', async () => {
  const file = join(tempDir('eventlake-api-'), 'notes.txt');
  writeFileSync(file, 'mine');
  const error = await refusal(join(file, 'lake'));
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'dataDir');
});

test('a dataDir starting with ~ is refused naming dataDir, and no folder named ~ is made in the current directory', async () => {
  let error: unknown;
  const written = await inEmptyCwd(async () => void (error = await refusal('~/.eventlake')));
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'dataDir');
  assert.match((error as Error).message, /homedir/, 'the message names how to reach the home folder');
  assert.equal(written, []);
});

test('a dataDir that is a symlink to nothing is refused naming dataDir and the link, not a raw ENOENT', async () => {
  const link = join(tempDir('eventlake-api-'), 'lake');
  symlinkSync(join(tempDir('eventlake-api-'), 'gone'), link);
  const error = await refusal(link);
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'dataDir');
  assert.ok((error as Error).message.includes(link), 'the message names the link');
});

test('a dataDir that is a symlink to a folder is opened there', async () => {
  const folder = tempDir('eventlake-api-');
  const link = join(tempDir('eventlake-api-'), 'lake');
  symlinkSync(folder, link);
  const local = await openLocalEventlake({ dataDir: link });
  await local.close();
  assert.ok(readdirSync(folder).includes('index.db'));
});

test('a dataDir that does not exist yet is created and opened', async () => {
  const dataDir = join(tempDir('eventlake-api-'), 'new', 'lake');
  const local = await openLocalEventlake({ dataDir });
  await local.close();
  assert.ok(readdirSync(dataDir).includes('index.db'));
});

test.run();
