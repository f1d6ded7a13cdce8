// Every command that opens the local data dir, given a --data-dir no folder can be at (a file, a path under a file),
// refuses it as a usage error naming --data-dir, the path and the fix, in the CLI's words, and changes nothing.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const READS: readonly (readonly string[])[] = [
  ['balance'], ['balance', 'DE44-5001-0517'], ['events', '--since', '0'], ['query', 'SELECT count(*) FROM events'],
  ['archive', 'status'], ['restore', 'status'], ['dlq', 'list'], ['snapshot', 'list'], ['generations', 'list'],
  ['rebuild', '--projection', 'balances', '--from', '0', '--dry-run'], ['verify'], ['status'],
];
const EVENTS = join(tempDir(), 'events.ndjson');
writeFileSync(EVENTS, JSON.stringify(SAMPLES['cash_deposit']));
const WRITES: readonly (readonly string[])[] = [
  ['emit', EVENTS], ['snapshot', 'take'], ['archive', 'run'], ['restore', 'request'], ['dlq', 'redrive'], ['rebuild', '--projection', 'balances', '--from', '0'],
  ['generations', 'drop', '2', '--projection', 'balances'], ['run'], ['serve', '--port', '0'], ['demo'],
];
const FIX = 'point --data-dir (or EVENTLAKE_DATA_DIR) at the folder eventlake writes to (made when missing), e.g. --data-dir ./.eventlake';

const test = suite('a --data-dir that is a file (CLI)');

/** A folder holding one file, `notes.txt`, and that file's path. */
function folderWithFile(): { folder: string; file: string } {
  const folder = tempDir();
  const file = join(folder, 'notes.txt');
  writeFileSync(file, 'mine');
  return { folder, file };
}

/** Run `--data-dir dataDir ...args` and assert the refusal: exit 1, `message` after the option's name, no stack trace. */
async function assertRefused(dataDir: string, args: readonly string[], message: string): Promise<void> {
  const r = await runCli(['--data-dir', dataDir, ...args]);
  const what = `${args.join(' ')}: ${r.stderr}`;
  assert.is(r.code, 1, what);
  assert.ok(r.stderr.includes(`eventlake: INVALID_ARGUMENT: --data-dir: ${dataDir} ${message}; nothing was created: ${FIX}\n`), what);
  assert.not.match(r.stderr, 'unexpected error', what);
  assert.is(r.stdout, '', what);
}

test('a read command on a file is refused naming --data-dir, the file and the fix, not with a stack trace', async () => {
  const { folder, file } = folderWithFile();
  for (const args of READS) await assertRefused(file, args, 'is a file, not a folder');
  assert.equal(readdirSync(folder), ['notes.txt']);
  assert.is(readFileSync(file, 'utf8'), 'mine');
});

test('a command that writes, given a file, is refused in the CLI\'s words (--data-dir), not the API\'s ({ dataDir })', async () => {
  const { folder, file } = folderWithFile();
  for (const args of WRITES) await assertRefused(file, args, 'is a file, not a folder');
  assert.equal(readdirSync(folder), ['notes.txt']);
  assert.is(readFileSync(file, 'utf8'), 'mine');
});

test('emit into a path under a file is refused naming the file, and nothing is written', async () => {
  const { folder, file } = folderWithFile();
  await assertRefused(join(file, 'lake'), ['emit', EVENTS], `is under the file ${file}, so no folder can be made there`);
  assert.equal(readdirSync(folder), ['notes.txt']);
});

test('a read command under a file is refused naming the file, not with a raw ENOTDIR', async () => {
  const { file } = folderWithFile();
  await assertRefused(join(file, 'lake'), ['status'], `is under the file ${file}, so no folder can be made there`);
});

test.run();
