// FsArchiveTier when a restore's copy is refused (an archive/ this user cannot read: EACCES injected on link, no
// root needed): the request records nothing and leaves no folder it made, a due restore that cannot be copied keeps
// its state, and every answer is a state or a StorageError naming the object, the errno and the fix, never a raw errno.

import Database from 'better-sqlite3';
import fsp from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsArchiveTier } from '../../../adapters/local/fs-archive-tier.ts';
import { StorageError } from '../../../domain/errors.ts';
import type { RestoreState, StorageClass } from '../../../domain/ports/storage.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';
import { withLinksRefused } from './restore-unreadable-links.ts';

const KEYS = ['09', '10', '11'].map((h) => `events/year=2024/month=03/day=07/hour=${h}/segment.ndjson`);
const [KEY] = KEYS as [string];

interface Ctx { dataDir: string; clock: number; changes: string[]; tier: FsArchiveTier }

/** archive.db's rows, read beside the open tier. */
function rows(dataDir: string): unknown[] {
  const db = new Database(join(dataDir, 'archive.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM archived ORDER BY key').all();
  } finally {
    db.close();
  }
}

async function archivedTier(ctx: Ctx, restoreDelayMs: number): Promise<void> {
  ctx.dataDir = tempDir();
  ctx.clock = 1_700_000_000_000;
  ctx.changes = [];
  ctx.tier = new FsArchiveTier({
    dataDir: ctx.dataDir, restoreDelayMs, now: () => ctx.clock,
    onStorageChange: async (k: string, c: StorageClass, r: RestoreState) => { ctx.changes.push(`${k} ${c}/${r}`); },
  });
  for (const key of KEYS) {
    mkdirSync(dirname(join(ctx.dataDir, key)), { recursive: true });
    writeFileSync(join(ctx.dataDir, key), '{"EventType":"x"}\n');
    await ctx.tier.transition(key, 'GLACIER');
  }
  ctx.changes.length = 0;
}

const test = suite<Ctx>('FsArchiveTier: a restore whose copy is refused');
test.before.each((ctx) => archivedTier(ctx, 0));
test.after.each((ctx) => ctx.tier.close());

test('a restore whose copy is refused throws StorageError naming the object, the errno and the fix', async ({ dataDir, tier }) => {
  const error = await withLinksRefused([KEY], () => rejects(() => tier.restore([KEY], { tier: 'Standard', days: 1 }), StorageError));
  assert.is(error.code, 'STORAGE_FAILED');
  assert.match(error.message, `restoring ${KEY} failed: EACCES`);
  assert.match(error.message, 'no restore of 1 object was recorded');
  assert.match(error.message, `on ${join(dataDir, 'archive/GLACIER', KEY)}`);
  assert.match(error.message, /(chmod|chown) -R/);
});

test('a restore whose copy is refused leaves archive.db as it was, and tells the index nothing', async ({ dataDir, tier, changes }) => {
  const before = rows(dataDir);
  await withLinksRefused([KEY], () => tier.restore([KEY], { tier: 'Standard', days: 1 }).catch(() => undefined));
  assert.equal(rows(dataDir), before);
  assert.equal(changes, []);
});

test('a restore whose copy is refused leaves no restored/ folder behind', async ({ dataDir, tier }) => {
  await withLinksRefused([KEY], () => tier.restore([KEY], { tier: 'Standard', days: 1 }).catch(() => undefined));
  assert.not.ok(existsSync(join(dataDir, 'restored')), 'restored/ was made and left');
});

test('in a batch where one copy is refused, the others are restored and every state is answered while it stays refused', async ({ dataDir, tier }) => {
  const error = await withLinksRefused([KEYS[1]!], () => rejects(() => tier.restore(KEYS, { tier: 'Standard', days: 1 }), StorageError));
  assert.match(error.message, 'the request for the other 2 objects stands');
  const states = await withLinksRefused([KEYS[1]!], () => tier.storage(KEYS));
  assert.equal(states.map((s) => s.restore), ['RESTORED', 'NONE', 'RESTORED']);
  assert.equal(readdirSync(join(dataDir, 'restored/events/year=2024/month=03/day=07')).sort(), ['hour=09', 'hour=11']);
});

test('the same restore once the copy is allowed completes it', async ({ dataDir, tier }) => {
  await withLinksRefused([KEY], () => tier.restore([KEY], { tier: 'Standard', days: 1 }).catch(() => undefined));
  await tier.restore([KEY], { tier: 'Standard', days: 1 });
  assert.is((await tier.storage([KEY]))[0]!.restore, 'RESTORED');
  assert.ok(existsSync(join(dataDir, 'restored', KEY)));
});

test.run();

const delayed = suite<Ctx>('FsArchiveTier: a due restore whose copy is refused (restore delay > 0)');
delayed.before.each((ctx) => archivedTier(ctx, 1000));
delayed.after.each((ctx) => ctx.tier.close());

delayed('a due restore whose copy is refused stays RESTORING and is a StorageError naming it, not a raw errno', async (ctx) => {
  await ctx.tier.restore(KEYS, { tier: 'Expedited', days: 1 });
  ctx.clock += 1000;
  const error = await withLinksRefused([KEY], () => rejects(() => ctx.tier.storage(KEYS), StorageError));
  assert.match(error.message, `completing the restore of ${KEY} failed: EACCES`);
  assert.match(error.message, '1 object keeps the restore state archive.db records');
  assert.equal((rows(ctx.dataDir) as { restore: string }[]).map((r) => r.restore), ['RESTORING', 'RESTORED', 'RESTORED']);
  assert.not.ok(existsSync(join(ctx.dataDir, 'restored', dirname(KEY))), 'the folder made for the refused copy was left');
});

delayed('a due restore refused once completes at the next look once the copy is allowed', async (ctx) => {
  await ctx.tier.restore([KEY], { tier: 'Expedited', days: 1 });
  ctx.clock += 1000;
  await withLinksRefused([KEY], () => ctx.tier.storage([KEY]).catch(() => undefined));
  assert.equal((await ctx.tier.storage([KEY])).map((s) => s.restore), ['RESTORED']);
  assert.ok(existsSync(join(ctx.dataDir, 'restored', KEY)));
});

delayed.run();

const unreadable = suite<Ctx>('FsArchiveTier: a storage state it cannot read');
unreadable.before.each((ctx) => archivedTier(ctx, 0));
unreadable.after.each((ctx) => ctx.tier.close());

unreadable('a hot object whose folder cannot be read is a StorageError naming its path, not a raw errno', async ({ dataDir, tier }) => {
  const hot = 'events/year=2024/month=03/day=08/hour=09/segment.ndjson';
  const { stat } = fsp;
  fsp.stat = (async (path: string, ...rest: unknown[]) => {
    if (String(path).endsWith(hot)) throw Object.assign(new Error(`EACCES: permission denied, stat '${path}'`), { code: 'EACCES', syscall: 'stat', path });
    return (stat as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
  }) as typeof fsp.stat;
  syncBuiltinESMExports();
  try {
    const error = await rejects(() => tier.storage([hot]), StorageError);
    assert.match(error.message, 'failed: EACCES');
    assert.match(error.message, `on ${join(dataDir, hot)}`);
  } finally {
    fsp.stat = stat;
    syncBuiltinESMExports();
  }
});

unreadable.run();
