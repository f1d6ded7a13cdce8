// `eventlake restore` on a data dir whose archive/ it cannot read (EACCES injected on link, no root needed): the
// refused restores are STORAGE_FAILED (exit 1, no stack) and recorded nowhere, so `restore status` and `archive status`
// answer while archive/ stays unreadable, and agree. They crashed on the RESTORING rows a failed restore left.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../../security/cli-run.ts';
import { healthyDataDir } from '../../support/check-data-dir.ts';
import { withLinksRefused } from './restore-unreadable-links.ts';

const test = suite('eventlake restore, restore status and archive status with archive/ unreadable in part');

async function glacierKeys(dataDir: string): Promise<string[]> {
  const local = await openLocalEventlake({ dataDir });
  try {
    return (await local.index.objects()).filter((o) => o.storageClass === 'GLACIER').map((o) => o.key).sort();
  } finally {
    await local.close();
  }
}

const lines = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

test('after a half-refused restore, restore status and archive status answer and agree while archive/ stays unreadable', async () => {
  const dataDir = await healthyDataDir();
  const keys = await glacierKeys(dataDir);
  assert.ok(keys.length >= 2, 'the fixture has GLACIER objects');
  const refused = keys.filter((_, i) => i % 2 === 0);
  const restore = await withLinksRefused(refused, () => runCli(['--data-dir', dataDir, 'restore', '--keys', ...keys]));
  assert.is(restore.code, 1, restore.stderr);
  assert.match(restore.stderr, /^eventlake: STORAGE_FAILED: restoring events\/\S+ \(and \d+ more\) failed: EACCES/);
  assert.not.match(restore.stderr, /\n\s+at /);

  const status = await withLinksRefused(refused, () => runCli(['--data-dir', dataDir, 'restore', 'status', '--json']));
  assert.is(status.code, 0, status.stderr);
  assert.equal(lines(status.stdout).map((r) => [r['key'], r['restore']]), keys.filter((k) => !refused.includes(k)).map((k) => [k, 'RESTORED']));
  const archive = await withLinksRefused(refused, () => runCli(['--data-dir', dataDir, 'archive', 'status', '--json']));
  assert.is(archive.code, 0, archive.stderr);
  const glacier = lines(archive.stdout).find((r) => r['class'] === 'GLACIER')!;
  assert.equal([glacier['restoring'], glacier['restored']], [0, keys.length - refused.length]);
});

test.run();
