// `eventlake snapshot prune`: keeps the newest N or removes those taken before T, prints what it removed and kept,
// never runs beside a rebuild of the projection, and refuses bad input naming the option.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { SqliteSnapshotStore } from '../../adapters/local/sqlite-snapshot-store.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import { RebuildLease } from '../../projections/rebuild/rebuild-lease.ts';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake snapshot prune (CLI)');
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

/** An empty data dir with three snapshots of balances, taken a day apart from 2026-01-01. */
async function lake(stepMs = DAY): Promise<{ dir: string; snaps: SnapshotInfo[] }> {
  const dir = await emptyDataDir();
  let clock = START;
  const store = new SqliteProjectionStore(dataDirLayout(dir).projectionsDb);
  try {
    const snapshots = new SqliteSnapshotStore({ dataDir: dir, store, now: () => clock });
    const snaps: SnapshotInfo[] = [];
    for (let i = 0; i < 3; i++, clock += stepMs) snaps.push(await snapshots.take('balances', await store.liveGeneration('balances'), i));
    return { dir, snaps };
  } finally {
    store.close();
  }
}

const file = (dir: string, s: SnapshotInfo, ext: string) => join(dataDirLayout(dir).snapshots, 'balances', `${s.id}.${ext}`);
const rows = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as { action: string; id: string; takenAt: string; bytes: number });

async function listed(dir: string): Promise<string[]> {
  const r = await runCli(['--data-dir', dir, 'snapshot', 'list', '--projection', 'balances', '--json']);
  return r.stdout.trim() === '' ? [] : rows(r.stdout).map((x) => x.id);
}

test('--keep 1 removes all but the newest snapshot, files included, and prints each removed and kept with its time and size', async () => {
  const { dir, snaps } = await lake();
  const r = await runCli(['--data-dir', dir, 'snapshot', 'prune', '--keep', '1', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(rows(r.stdout).map((x) => [x.action, x.id, x.takenAt, x.bytes]), snaps.map((s, i) => [i < 2 ? 'removed' : 'kept', s.id, new Date(s.takenAt).toISOString(), s.bytes]));
  assert.equal(await listed(dir), [snaps[2]!.id]);
  assert.equal([existsSync(file(dir, snaps[0]!, 'db')), existsSync(file(dir, snaps[0]!, 'json'))], [false, false]);
});

test('--older-than removes the snapshots taken before T and keeps the rest', async () => {
  const { dir, snaps } = await lake();
  const r = await runCli(['--data-dir', dir, 'snapshot', 'prune', '--older-than', '2026-01-02T00:00:00Z']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(await listed(dir), [snaps[1]!.id, snaps[2]!.id]);
});

test('--older-than keeps its milliseconds: a takenAt pasted from snapshot list removes the snapshots taken earlier in that second', async () => {
  const { dir, snaps } = await lake(300);
  const r = await runCli(['--data-dir', dir, 'snapshot', 'prune', '--older-than', new Date(snaps[1]!.takenAt).toISOString()]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(await listed(dir), [snaps[1]!.id, snaps[2]!.id]);
});

test('--older-than never removes the newest snapshot, however old', async () => {
  const { dir, snaps } = await lake();
  assert.is((await runCli(['--data-dir', dir, 'snapshot', 'prune', '--older-than', '2030-01-01'])).code, 0);
  assert.equal(await listed(dir), [snaps[2]!.id]);
});

test('--dry-run prints what it would remove and removes nothing', async () => {
  const { dir, snaps } = await lake();
  const r = await runCli(['--data-dir', dir, 'snapshot', 'prune', '--keep', '2', '--dry-run', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(rows(r.stdout).map((x) => x.action), ['would remove', 'kept', 'kept']);
  assert.equal(await listed(dir), snaps.map((s) => s.id));
});

test('a prune while a rebuild of the projection holds its lease exits 1 with REBUILD_IN_PROGRESS and removes nothing', async () => {
  const { dir, snaps } = await lake();
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dir).dispatchDb);
  try {
    const held = await RebuildLease.acquire(checkpoints, 'balances'); // a rebuild that may be restoring one of them
    const r = await runCli(['--data-dir', dir, 'snapshot', 'prune', '--keep', '1']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /^eventlake: REBUILD_IN_PROGRESS: projection balances: another rebuild of it is running/m);
    assert.equal(await listed(dir), snaps.map((s) => s.id));
    await held.release();
  } finally {
    checkpoints.close();
  }
});

test('a prune reclaims a data file a killed take or prune left without its sidecar, and says so', async () => {
  const { dir, snaps } = await lake();
  const left = { ...snaps[0]!, id: snaps[0]!.id.replace(/-.*$/, '-ffffff') };
  writeFileSync(file(dir, left, 'db'), 'partial');
  utimesSync(file(dir, left, 'db'), new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
  const r = await runCli(['--data-dir', dir, 'snapshot', 'prune', '--keep', '3', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(rows(r.stdout).filter((x) => x.action === 'removed leftover').map((x) => [x.id, x.bytes]), [[left.id, 7]]);
  assert.not.ok(existsSync(file(dir, left, 'db')));
});

test('a prune of a --data-dir that is no data dir is refused and creates nothing there', async () => {
  const dir = join(tempDir(), 'typo');
  const r = await runCli(['--data-dir', dir, 'snapshot', 'prune', '--keep', '1']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'eventlake: ');
  assert.not.ok(existsSync(dir));
});

const refusals: [string, string[], string][] = [
  ['--keep 0 is refused: a rebuild would replay from the start of the log', ['--keep', '0'], 'eventlake: INVALID_ARGUMENT: --keep: 0 would remove every snapshot'],
  ['--keep that is not a whole number is refused naming --keep', ['--keep', '1.5'], 'eventlake: INVALID_ARGUMENT: --keep: 1.5 is not a whole number >= 1'],
  ['an unparseable --older-than is refused naming --older-than', ['--older-than', 'last tuesday'], 'eventlake: INVALID_ARGUMENT: --older-than'],
  ['neither --keep nor --older-than is refused naming both', [], 'give exactly one of --keep N'],
  ['both --keep and --older-than are refused naming both', ['--keep', '1', '--older-than', '2026-01-02'], 'give exactly one of --keep N'],
  ['an unknown --projection is refused naming the known ones', ['--keep', '1', '--projection', 'nope'], 'eventlake: INVALID_ARGUMENT: --projection: unknown projection "nope": use one of balances'],
];
for (const [name, args, message] of refusals) {
  test(`${name}, and nothing is removed`, async () => {
    const { dir, snaps } = await lake();
    const r = await runCli(['--data-dir', dir, 'snapshot', 'prune', ...args]);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(await listed(dir), snaps.map((s) => s.id));
  });
}

test.run();
