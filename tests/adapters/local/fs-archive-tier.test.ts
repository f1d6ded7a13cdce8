// FsArchiveTier: the ArchiveTier contract, plus where the bytes go on disk and what survives a crash.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FsArchiveTier } from '../../../adapters/local/fs-archive-tier.ts';
import type { EventLocation } from '../../../domain/ports/event-log.ts';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { ArchivedEventError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import type { RestoreState, StorageClass } from '../../../domain/ports/storage.ts';
import { archiveTierContract } from '../../contracts/archive-tier.contract.ts';
import { tempDir } from '../../support/tmp.ts';

function putHot(dataDir: string, key: string, body: string): void {
  mkdirSync(dirname(join(dataDir, key)), { recursive: true });
  writeFileSync(join(dataDir, key), body);
}

archiveTierContract('FsArchiveTier', async () => {
  const dataDir = tempDir();
  let clock = 1_700_000_000_000;
  const subject = new FsArchiveTier({ dataDir, restoreDelayMs: 60_000, now: () => clock });
  return {
    subject,
    putObject: async (key, body) => putHot(dataDir, key, body),
    advance: async (ms) => { clock += ms; },
    cleanup: async () => subject.close(),
  };
});

const KEY = 'events/year=2024/month=03/day=07/hour=09/segment.ndjson';
const BODY = '{"EventType":"x"}\n';

interface Ctx { dataDir: string; clock: number; changes: string[]; tier: FsArchiveTier }

const test = suite<Ctx>('FsArchiveTier on disk');
test.before.each((ctx) => {
  ctx.dataDir = tempDir();
  ctx.clock = 1_700_000_000_000;
  ctx.changes = [];
  ctx.tier = new FsArchiveTier({
    dataDir: ctx.dataDir, restoreDelayMs: 1000, now: () => ctx.clock,
    onStorageChange: async (k: string, c: StorageClass, r: RestoreState) => { ctx.changes.push(`${k === KEY ? 'KEY' : k} ${c}/${r}`); },
  });
  putHot(ctx.dataDir, KEY, BODY);
});
test.after.each((ctx) => ctx.tier.close());

test('a transition moves the bytes from events/ to archive/<class>/', async ({ dataDir, tier }) => {
  await tier.transition(KEY, 'GLACIER');
  assert.not.ok(existsSync(join(dataDir, KEY)));
  assert.is(readFileSync(join(dataDir, 'archive/GLACIER', KEY), 'utf8'), BODY);
  await tier.transition(KEY, 'DEEP_ARCHIVE');
  assert.not.ok(existsSync(join(dataDir, 'archive/GLACIER', KEY)));
  assert.is(readFileSync(join(dataDir, 'archive/DEEP_ARCHIVE', KEY), 'utf8'), BODY);
});

test('a completed restore is a copy under restored/, removed when it expires', async (ctx) => {
  await ctx.tier.transition(KEY, 'GLACIER');
  await ctx.tier.restore([KEY], { tier: 'Expedited', days: 1 });
  ctx.clock += 1000;
  await ctx.tier.storage([KEY]);
  assert.is(readFileSync(join(ctx.dataDir, 'restored', KEY), 'utf8'), BODY);
  ctx.clock += 86_400_000;
  await ctx.tier.storage([KEY]);
  assert.not.ok(existsSync(join(ctx.dataDir, 'restored', KEY)));
  assert.ok(existsSync(join(ctx.dataDir, 'archive/GLACIER', KEY)), 'the archived bytes stay');
});

test('a restored copy shares the archived file\'s bytes (a hard link) and outlives a move to a colder class', async (ctx) => {
  await ctx.tier.transition(KEY, 'GLACIER');
  await ctx.tier.restore([KEY], { tier: 'Expedited', days: 1 });
  ctx.clock += 1000;
  await ctx.tier.storage([KEY]);
  assert.is(statSync(join(ctx.dataDir, 'restored', KEY)).ino, statSync(join(ctx.dataDir, 'archive/GLACIER', KEY)).ino);
  await ctx.tier.transition(KEY, 'DEEP_ARCHIVE');
  assert.is(readFileSync(join(ctx.dataDir, 'restored', KEY), 'utf8'), BODY);
  assert.is(readFileSync(join(ctx.dataDir, 'archive/DEEP_ARCHIVE', KEY), 'utf8'), BODY);
});

test('restores completing together are reported once each, after their copies exist', async (ctx) => {
  const keys = [KEY, KEY.replace('hour=09', 'hour=10'), KEY.replace('hour=09', 'hour=11')];
  for (const key of keys.slice(1)) putHot(ctx.dataDir, key, BODY);
  for (const key of keys) await ctx.tier.transition(key, 'GLACIER');
  await ctx.tier.restore(keys, { tier: 'Expedited', days: 1 });
  ctx.changes.length = 0;
  ctx.clock += 1000;
  const states = await ctx.tier.storage([...keys, KEY]);
  assert.equal(states.map((s) => s.restore), ['RESTORED', 'RESTORED', 'RESTORED', 'RESTORED']);
  assert.is(ctx.changes.length, 3);
  for (const key of keys) assert.is(readFileSync(join(ctx.dataDir, 'restored', key), 'utf8'), BODY);
});

test('the restore delay scales with the tier: Glacier Standard takes 3 x restoreDelayMs', async (ctx) => {
  await ctx.tier.transition(KEY, 'GLACIER');
  await ctx.tier.restore([KEY], { tier: 'Standard', days: 1 });
  ctx.clock += 2999;
  assert.is((await ctx.tier.storage([KEY]))[0]!.restore, 'RESTORING');
  ctx.clock += 1;
  assert.is((await ctx.tier.storage([KEY]))[0]!.restore, 'RESTORED');
});

test('a faster tier requested during a restore brings the copy forward', async (ctx) => {
  await ctx.tier.transition(KEY, 'GLACIER');
  await ctx.tier.restore([KEY], { tier: 'Bulk', days: 1 });
  await ctx.tier.restore([KEY], { tier: 'Expedited', days: 1 });
  ctx.clock += 1000;
  assert.is((await ctx.tier.storage([KEY]))[0]!.restore, 'RESTORED');
});

test('every state change is reported to the listener, in order', async (ctx) => {
  await ctx.tier.transition(KEY, 'GLACIER');
  await ctx.tier.restore([KEY], { tier: 'Expedited', days: 1 });
  ctx.clock += 1000;
  await ctx.tier.storage([KEY]);
  ctx.clock += 86_400_000;
  await ctx.tier.storage([KEY]);
  assert.equal(ctx.changes, ['KEY GLACIER/NONE', 'KEY GLACIER/RESTORING', 'KEY GLACIER/RESTORED', 'KEY GLACIER/NONE']);
});

test('sweep completes due restores without being asked about each key', async (ctx) => {
  await ctx.tier.transition(KEY, 'GLACIER');
  await ctx.tier.restore([KEY], { tier: 'Expedited', days: 1 });
  ctx.clock += 1000;
  const changed = await ctx.tier.sweep();
  assert.equal(changed.map((c) => c.restore), ['RESTORED']);
  assert.ok(existsSync(join(ctx.dataDir, 'restored', KEY)));
});

test('a crash after the copy but before the class was recorded leaves the object hot, and a rerun finishes', async (ctx) => {
  mkdirSync(dirname(join(ctx.dataDir, 'archive/GLACIER', KEY)), { recursive: true });
  copyFileSync(join(ctx.dataDir, KEY), join(ctx.dataDir, 'archive/GLACIER', KEY));
  assert.is((await ctx.tier.storage([KEY]))[0]!.storageClass, 'STANDARD');
  await ctx.tier.transition(KEY, 'GLACIER');
  assert.is((await ctx.tier.storage([KEY]))[0]!.storageClass, 'GLACIER');
  assert.not.ok(existsSync(join(ctx.dataDir, KEY)));
});

test('a crash after the class was recorded but before the unlink is finished when the tier opens', async (ctx) => {
  ctx.tier.close();
  mkdirSync(dirname(join(ctx.dataDir, 'archive/GLACIER', KEY)), { recursive: true });
  copyFileSync(join(ctx.dataDir, KEY), join(ctx.dataDir, 'archive/GLACIER', KEY));
  const db = new Database(join(ctx.dataDir, 'archive.db'));
  db.prepare(`INSERT INTO archived (key, storage_class, moving_from, transitioned_at) VALUES (?, 'GLACIER', 'STANDARD', 0)`).run(KEY);
  db.close();
  ctx.tier = new FsArchiveTier({ dataDir: ctx.dataDir, now: () => ctx.clock });
  assert.not.ok(existsSync(join(ctx.dataDir, KEY)));
  assert.is(readFileSync(join(ctx.dataDir, 'archive/GLACIER', KEY), 'utf8'), BODY);
});

test('repeating the transition of a half-finished move finishes it', async (ctx) => {
  mkdirSync(dirname(join(ctx.dataDir, 'archive/GLACIER', KEY)), { recursive: true });
  copyFileSync(join(ctx.dataDir, KEY), join(ctx.dataDir, 'archive/GLACIER', KEY));
  const db = new Database(join(ctx.dataDir, 'archive.db'));
  db.prepare(`INSERT INTO archived (key, storage_class, moving_from, transitioned_at) VALUES (?, 'GLACIER', 'STANDARD', 0)`).run(KEY);
  db.close();
  await ctx.tier.transition(KEY, 'GLACIER');
  assert.not.ok(existsSync(join(ctx.dataDir, KEY)));
});

test('a key that escapes the data directory is refused', async ({ tier }) => {
  try {
    await tier.storage(['events/../../etc/passwd']);
    assert.unreachable('accepted an unsafe key');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'INVALID_ARGUMENT');
  }
});

test.run();

const reads = suite<{ log: FsEventLog; tier: FsArchiveTier; clock: number; key: string; location: EventLocation }>('FsArchiveTier with FsEventLog: reading archived events');
reads.before.each(async (ctx) => {
  const dataDir = tempDir();
  ctx.clock = 1_700_000_000_000;
  ctx.log = await FsEventLog.open(dataDir);
  ctx.tier = new FsArchiveTier({ dataDir, restoreDelayMs: 1000, now: () => ctx.clock });
  const [r] = await ctx.log.append([SAMPLES['cash_deposit'] as DomainEvent]);
  ctx.key = r!.key;
  ctx.location = r!.location;
  await ctx.log.checkpoint();
  await ctx.tier.transition(ctx.key, 'GLACIER');
});
reads.after.each(async (ctx) => {
  ctx.tier.close();
  await ctx.log.close();
});

reads('reading an unrestored archived event fails with ArchivedEventError naming its class and the restore command', async ({ log, location }) => {
  const error = await rejects(() => log.read(location), ArchivedEventError);
  assert.is(error.storageClass, 'GLACIER');
  assert.match(error.message, 'eventlake restore --keys');
});

reads('an archived event stays unreadable while its restore is in progress', async ({ log, tier, key, location }) => {
  await tier.restore([key], { tier: 'Standard', days: 1 });
  await tier.storage([key]);
  await rejects(() => log.read(location), ArchivedEventError);
});

reads('a restored event is readable until its copy expires, then archived again', async (ctx) => {
  await ctx.tier.restore([ctx.key], { tier: 'Expedited', days: 1 });
  ctx.clock += 1000;
  await ctx.tier.storage([ctx.key]);
  assert.is((await ctx.log.read(ctx.location)).RequestId, SAMPLES['cash_deposit']!.RequestId);
  ctx.clock += 86_400_000;
  await ctx.tier.storage([ctx.key]);
  await rejects(() => ctx.log.read(ctx.location), ArchivedEventError);
});

reads.run();
