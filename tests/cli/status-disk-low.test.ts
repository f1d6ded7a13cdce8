// `eventlake status` warns when the disk holding the data dir is almost full (statfs, injected): it cannot see a
// dispatch stall without writing, but it can see the free space that is about to cause one.

import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake status on an almost full disk');

async function dataDir(): Promise<string> {
  const dir = tempDir();
  const local = await openLocalEventlake({ dataDir: dir });
  await local.lake.emit([SAMPLES.cash_deposit!]);
  await local.close();
  return dir;
}

/** `eventlake status …` while statfs() answers `freeBytes` available for the data dir. */
async function statusWithFree(argv: string[], freeBytes: number) {
  const target = fs as unknown as Record<string, unknown>;
  const statfsSync = fs.statfsSync;
  target['statfsSync'] = (path: fs.PathLike) => ({ ...statfsSync(path), bsize: 4096, bavail: Math.floor(freeBytes / 4096) });
  syncBuiltinESMExports();
  try {
    return await runCli(argv);
  } finally {
    target['statfsSync'] = statfsSync;
    syncBuiltinESMExports();
  }
}

test('with less than 1 MiB free the text form warns that the disk is almost full, naming the free space and the path', async () => {
  const dir = await dataDir();
  const r = await statusWithFree(['--data-dir', dir, 'status'], 200 * 1024);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `\n! disk almost full: 200 KiB free on ${dir}; `);
});

test('with less than 1 MiB free --json has diskAlmostFull with the path and the free bytes', async () => {
  const dir = await dataDir();
  const r = await statusWithFree(['--data-dir', dir, 'status', '--json'], 200 * 1024);
  assert.equal(JSON.parse(r.stdout).diskAlmostFull, { path: dir, freeBytes: 200 * 1024 });
});

test('with space to spare there is no warning and no diskAlmostFull', async () => {
  const dir = await dataDir();
  const text = await statusWithFree(['--data-dir', dir, 'status'], 64 * 1024 * 1024);
  const json = await statusWithFree(['--data-dir', dir, 'status', '--json'], 64 * 1024 * 1024);
  assert.not.match(text.stdout, 'disk almost full');
  assert.is(JSON.parse(json.stdout).diskAlmostFull, undefined);
});

test.run();
