// FsArchiveTier with no restore delay: a restore due when requested completes within the request. Why: reported
// RESTORING first and RESTORED at the next look, it made the index rewrite every event of the object twice (a
// rebuild's rehydrate of the bench's archived half).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FsArchiveTier } from '../../../adapters/local/fs-archive-tier.ts';
import type { RestoreState, StorageClass } from '../../../domain/ports/storage.ts';
import { tempDir } from '../../support/tmp.ts';

const KEY = 'events/year=2024/month=03/day=07/hour=09/segment.ndjson';

interface Ctx { dataDir: string; changes: string[]; tier: FsArchiveTier }

const test = suite<Ctx>('FsArchiveTier with restoreDelayMs 0');
test.before.each(async (ctx) => {
  ctx.dataDir = tempDir();
  ctx.changes = [];
  ctx.tier = new FsArchiveTier({
    dataDir: ctx.dataDir, restoreDelayMs: 0, now: () => 1_700_000_000_000,
    onStorageChange: async (_k: string, c: StorageClass, r: RestoreState) => { ctx.changes.push(`${c}/${r}`); },
  });
  mkdirSync(dirname(join(ctx.dataDir, KEY)), { recursive: true });
  writeFileSync(join(ctx.dataDir, KEY), '{"EventType":"x"}\n');
  await ctx.tier.transition(KEY, 'GLACIER');
  ctx.changes.length = 0;
});
test.after.each((ctx) => ctx.tier.close());

test('a restore due when requested is reported once, as RESTORED', async ({ tier, changes }) => {
  await tier.restore([KEY], { tier: 'Standard', days: 1 });
  await tier.storage([KEY]);
  assert.equal(changes, ['GLACIER/RESTORED']);
});

test('a restore due when requested has its readable copy when restore() returns', async ({ dataDir, tier }) => {
  await tier.restore([KEY], { tier: 'Standard', days: 1 });
  assert.ok(existsSync(join(dataDir, 'restored', KEY)));
});

test.run();
