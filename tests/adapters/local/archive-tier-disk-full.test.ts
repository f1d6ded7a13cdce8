// FsArchiveTier on a full disk: a move that cannot copy is a StorageFullError naming what was kept, leaves the key
// readable where it was and no partial copy, and the same move succeeds once space is freed.

import fsp from 'node:fs/promises';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsArchiveTier } from '../../../adapters/local/fs-archive-tier.ts';
import { StorageFullError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('FsArchiveTier on a full disk');

const KEY = 'events/year=2024/month=03/day=07/hour=09/segment.ndjson';
const BODY = '{"EventType":"x"}\n';

/** Run `fn` while copying a file writes part of it, then fails with ENOSPC (the disk filled mid-copy). */
async function withCopiesFull<T>(fn: () => Promise<T>): Promise<T> {
  const { copyFile } = fsp;
  fsp.copyFile = (async (_from: string, to: string) => {
    await fsp.writeFile(to, BODY.slice(0, 5));
    throw Object.assign(new Error(`ENOSPC: no space left on device, copyfile -> '${to}'`), { code: 'ENOSPC', syscall: 'copyfile' });
  }) as typeof fsp.copyFile;
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    fsp.copyFile = copyFile;
    syncBuiltinESMExports();
  }
}

/** Every file under `dir`, relative. */
function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

function hotTier(): { dataDir: string; tier: FsArchiveTier } {
  const dataDir = tempDir();
  mkdirSync(dirname(join(dataDir, KEY)), { recursive: true });
  writeFileSync(join(dataDir, KEY), BODY);
  return { dataDir, tier: new FsArchiveTier({ dataDir }) };
}

test('a transition that cannot copy throws StorageFullError saying the key stays where it was, and leaves no partial copy', async () => {
  const { dataDir, tier } = hotTier();
  try {
    const before = files(dataDir);
    const error = await withCopiesFull(() => rejects(() => tier.transition(KEY, 'GLACIER'), StorageFullError));
    assert.is(error.where, dataDir);
    assert.match(error.message, `moving ${KEY} to GLACIER failed: no space left (ENOSPC) on the disk holding ${dataDir}; every key stays readable in the storage class archive.db records for it`);
    assert.match(error.message, /Free space on that disk \(or fix the device\), then run the same operation again$/);
    assert.equal(files(dataDir), before);
    assert.equal((await tier.storage([KEY]))[0]!.storageClass, 'STANDARD');
  } finally {
    tier.close();
  }
});

test('the same transition once space is freed moves the key', async () => {
  const { dataDir, tier } = hotTier();
  try {
    await withCopiesFull(() => tier.transition(KEY, 'GLACIER').catch(() => undefined));
    await tier.transition(KEY, 'GLACIER');
    assert.equal((await tier.storage([KEY]))[0]!.storageClass, 'GLACIER');
    assert.is(readFileSync(join(dataDir, 'archive', 'GLACIER', KEY), 'utf8'), BODY);
  } finally {
    tier.close();
  }
});

test.run();
