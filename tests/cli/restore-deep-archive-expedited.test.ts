// `eventlake restore --tier Expedited` restores as `eventlake rebuild --restore-tier Expedited` does: S3 Deep Archive
// offers no Expedited retrieval (AWS refuses the request), so its objects are restored with Standard, the fastest it
// has, and the output says so; GLACIER objects of the same request keep Expedited. An object already restored is
// reported as such. Before, the whole request was refused (RESTORE_REJECTED, exit 1), restored objects too.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { generateEvents } from '../../domain/generator.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake restore --tier Expedited over Deep Archive');
const DAY = 86_400;
const START = Date.UTC(2024, 0, 1) / 1000;
/** Both days: the first is in DEEP_ARCHIVE (over 105 days old), the second in GLACIER (50 days old). */
const BOTH = ['--since', '2024-01-01T00:00Z', '--until', '2024-05-02T00:00Z'];

/** A data dir holding a day of events in DEEP_ARCHIVE and one in GLACIER. */
async function archivedLake(): Promise<string> {
  const dir = tempDir();
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await local.lake.emit(generateEvents({ accounts: 3, days: 1, eventsPerDay: 12, start: START, seed: 1 }));
    await local.lake.emit(generateEvents({ accounts: 3, days: 1, eventsPerDay: 12, start: START + 120 * DAY, seed: 2 }));
    await runLifecycle({ log: local.log, index: local.index, archive: local.archive }, { now: (START + 170 * DAY) * 1000 });
  } finally {
    await local.close();
  }
  return dir;
}

/** The JSON rows of `restore status` over both days. */
async function states(dir: string): Promise<{ key: string; storageClass: string; restore: string }[]> {
  const r = await runCli(['--data-dir', dir, 'restore', 'status', ...BOTH, '--json']);
  assert.is(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

test('Expedited over DEEP_ARCHIVE and GLACIER objects restores them all, Deep Archive with Standard, and says so', async () => {
  const dir = await archivedLake();
  const before = await states(dir);
  const deep = before.filter((s) => s.storageClass === 'DEEP_ARCHIVE').length;
  assert.ok(deep > 0 && before.some((s) => s.storageClass === 'GLACIER'), JSON.stringify(before));
  const r = await runCli(['--data-dir', dir, 'restore', ...BOTH, '--tier', 'Expedited']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, `eventlake: Deep Archive offers no Expedited retrieval: ${deep} objects in DEEP_ARCHIVE restored with Standard instead`);
  assert.equal((await states(dir)).filter((s) => s.restore === 'NONE'), [], 'every object has a restore');
});

test('the GLACIER objects of the same request keep Expedited (ready first), the DEEP_ARCHIVE ones take Standard', async () => {
  const dir = await archivedLake();
  // Simulated restore times are multiples of this: GLACIER Expedited 1, GLACIER Standard 3, DEEP_ARCHIVE Standard 6.
  process.env['EVENTLAKE_RESTORE_DELAY_MS'] = '1000';
  try {
    assert.is((await runCli(['--data-dir', dir, 'restore', ...BOTH, '--tier', 'Expedited'])).code, 0);
    await new Promise((resume) => setTimeout(resume, 1500));
    const after = await states(dir);
    assert.equal([...new Set(after.filter((s) => s.storageClass === 'GLACIER').map((s) => s.restore))], ['RESTORED']);
    assert.equal([...new Set(after.filter((s) => s.storageClass === 'DEEP_ARCHIVE').map((s) => s.restore))], ['RESTORING']);
  } finally {
    delete process.env['EVENTLAKE_RESTORE_DELAY_MS'];
  }
});

test('Expedited for a DEEP_ARCHIVE object already restored reports it restored, not refused', async () => {
  const dir = await archivedLake();
  const key = (await states(dir)).find((s) => s.storageClass === 'DEEP_ARCHIVE')!.key;
  assert.is((await runCli(['--data-dir', dir, 'restore', '--keys', key, '--wait'])).code, 0);
  const r = await runCli(['--data-dir', dir, 'restore', '--keys', key, '--tier', 'Expedited', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, 'eventlake: 1 object already restored, readable now');
  assert.not.match(r.stderr, 'restored with Standard instead');
  assert.is(JSON.parse(r.stdout.trim()).restore, 'RESTORED');
});

test.run();
