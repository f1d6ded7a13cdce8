// The local log's listing (FsEventLog.list) on a folder or object it cannot read (injected EACCES, as for a non-root
// user after chmod 000): refused with STORAGE_FAILED naming the path, its owner and the fix, never listed as holding
// no objects, so compaction and archive runs do not skip its hour and the port-level check does not call it missing.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../../adapters/local/local-eventlake.ts';
import { StorageError } from '../../../domain/errors.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { compactHour } from '../../../projections/compactor.ts';
import { runLifecycle } from '../../../projections/lifecycle.ts';
import { checkLogAgainstIndex } from '../../../projections/log-index-check.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';
import { denyReading } from './fs-log-errors-faults.ts';

const test = suite('the local listing on what it cannot read');
const START = Date.UTC(2024, 0, 1) / 1000;

/** A local eventlake holding a day of January 2024 in hot batch objects, and its first hour folder (relative key too). */
async function lake(): Promise<{ dataDir: string; local: LocalEventlake; hour: string; prefix: string }> {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir });
  await local.lake.emit(generateEvents({ accounts: 2, days: 1, eventsPerDay: 6, start: START, seed: 3 }));
  const down = (rel: string): string => {
    const [first] = readdirSync(join(dataDir, rel)).filter((n) => n.includes('=')).sort();
    return first === undefined ? rel : down(`${rel}/${first}`);
  };
  const prefix = `${down('events')}/`;
  return { dataDir, local, hour: join(dataDir, prefix.slice(0, -1)), prefix };
}

/** `fn`'s StorageError while `path` cannot be read. */
async function refusedWhileDenied(path: string, fn: () => Promise<unknown>): Promise<StorageError> {
  const allow = denyReading(path);
  try {
    return await rejects(fn, StorageError);
  } finally {
    allow();
  }
}

const assertNamesFolderAndFix = (error: StorageError, path: string) => {
  assert.is(error.code, 'STORAGE_FAILED');
  assert.match(error.message, `${path} cannot be read (EACCES`);
  assert.match(error.message, 'eventlake runs as uid');
  assert.match(error.message, 'rather than listed as none');
  assert.match(error.message, 'Fix: run eventlake as the data dir\'s owner');
};

test('listing a folder it cannot read is STORAGE_FAILED naming the folder, its owner and the fix', async () => {
  const { local, hour } = await lake();
  try {
    const error = await refusedWhileDenied(hour, async () => { for await (const _ of local.log.list('events/')); });
    assertNamesFolderAndFix(error, hour);
  } finally {
    await local.close();
  }
});

test('an object file it cannot stat is refused the same way, not skipped as removed', async () => {
  const { local, hour, prefix } = await lake();
  try {
    const [object] = readdirSync(hour);
    const error = await refusedWhileDenied(join(hour, object!), async () => { for await (const _ of local.log.list(prefix)); });
    assertNamesFolderAndFix(error, join(hour, object!));
  } finally {
    await local.close();
  }
});

test('an archive run refuses rather than skip the hour it cannot list: its batch object stays hot, not compacted', async () => {
  const { local, hour, prefix } = await lake();
  try {
    const deps = { log: local.log, index: local.index, archive: local.archive, checkpoints: local.checkpoints, dispatchedPosition: () => local.dispatchedPosition() };
    assertNamesFolderAndFix(await refusedWhileDenied(hour, () => runLifecycle(deps, { now: (START + 200 * 86_400) * 1000 })), hour);
    const objects = (await local.index.objects()).filter((o) => o.key.startsWith(prefix));
    assert.ok(objects.length > 0 && objects.every((o) => o.storageClass === 'STANDARD'), JSON.stringify(objects));
  } finally {
    await local.close();
  }
});

test('compacting an hour it cannot list refuses and leaves the hour as it was', async () => {
  const { local, hour, prefix } = await lake();
  try {
    const before = readdirSync(hour);
    assertNamesFolderAndFix(await refusedWhileDenied(hour, () => compactHour({ log: local.log, index: local.index }, prefix)), hour);
    assert.equal(readdirSync(hour), before);
    assert.not.ok(existsSync(join(hour, 'segment.ndjson')));
  } finally {
    await local.close();
  }
});

test('the port-level check refuses rather than report the events of a folder it cannot list as missing', async () => {
  const { local, hour } = await lake();
  try {
    assertNamesFolderAndFix(await refusedWhileDenied(hour, () => checkLogAgainstIndex({ log: local.log, index: local.index, archive: local.archive })), hour);
  } finally {
    await local.close();
  }
});

test('a prefix with no folder still lists no objects (only a missing folder is empty)', async () => {
  const { local } = await lake();
  try {
    const keys: string[] = [];
    for await (const o of local.log.list('events/year=2031/')) keys.push(o.key);
    assert.equal(keys, []);
  } finally {
    await local.close();
  }
});

test.run();
