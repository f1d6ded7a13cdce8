// The list of CheckpointStore names (projections/checkpoint-kinds.ts) that the index repair trusts: every name the
// local runtime writes into dispatch.db is on it, so a new kind cannot be taken for a dispatch checkpoint again.

import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { checkpointKind } from '../../../projections/checkpoint-kinds.ts';
import { compactDueHours } from '../../../projections/compaction-schedule.ts';
import { runCli } from '../../security/cli-run.ts';
import { healthyDataDir } from '../../support/check-data-dir.ts';

const test = suite('checkpoint kinds');

function storedNames(dir: string): string[] {
  const db = new Database(dataDirLayout(dir).dispatchDb, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT name FROM checkpoints ORDER BY name').pluck().all() as string[];
  } finally {
    db.close();
  }
}

test('a rebuild lease is a lease, though its prefix starts with the rebuild pointer\'s', () => {
  assert.equal(['rebuild:lease:balances', 'rebuild:balances', 'archive:lease'].map(checkpointKind), ['lease', 'rebuild-pointer', 'lease']);
});

test('every name dispatch, archive run, rebuild and the scheduled compaction write in dispatch.db has a kind', async () => {
  const dir = await healthyDataDir();
  for (const argv of [['archive', 'run'], ['rebuild', '--projection', 'balances', '--from', '0', '--no-promote']]) {
    const r = await runCli(['--data-dir', dir, ...argv]);
    assert.is(r.code, 0, r.stderr);
  }
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    const firstHour = Date.UTC(2024, 0, 1) / 1000;
    await compactDueHours(local, { now: (firstHour + 26 * 3600) * 1000, firstHour, lookbackHours: 0 });
  } finally {
    await local.close();
  }
  const names = storedNames(dir);
  assert.ok(['dispatch', 'archive:lease', 'rebuild:lease:balances', 'rebuild:balances', 'compaction'].every((n) => names.includes(n)), names.join(', '));
  assert.equal(names.filter((n) => checkpointKind(n) === undefined), []);
});

test.run();
