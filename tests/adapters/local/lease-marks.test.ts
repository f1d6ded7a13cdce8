// The local runtime's lease liveness: a holder's mark is a lock file under the data dir's leases/ that a live process
// keeps locked. A mark is alive while held (in this process or another), gone once released, dead once its process
// died, and seen only from the host that made it (a data dir shared over NFS waits for expiries, as before).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LockFileLeaseLiveness } from '../../../adapters/local/lease-marks.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { ARCHIVE_LEASE } from '../../../projections/archive-lease.ts';
import { emptyDataDir } from '../../support/empty-data-dir.ts';
import { tempDir } from '../../support/tmp.ts';
import { childScript } from '../../reliability/run-child.ts';
import { TS_CHILD_ARGS } from '../../support/ts-child.ts';

const test = suite('lock-file lease liveness');
const NAME = 'rebuild:lease:balances';

test('a mark held in this process is not dead, and its tag cannot be marked again meanwhile', async () => {
  const liveness = new LockFileLeaseLiveness(join(tempDir(), 'leases'));
  const mark = await liveness.mark(NAME, 17);
  assert.ok(mark);
  assert.is(await liveness.dead(NAME, 17), undefined);
  assert.is(await liveness.mark(NAME, 17), undefined);
  await mark.release();
});

test('a released mark leaves no file and no dead holder behind', async () => {
  const dir = join(tempDir(), 'leases');
  const liveness = new LockFileLeaseLiveness(dir);
  await (await liveness.mark(NAME, 17))!.release();
  assert.equal(readdirSync(dir), []);
  assert.is(await liveness.dead(NAME, 17), undefined);
});

test('a mark released while its lease still names it (the release\'s write failed) is dead at once', async () => {
  const liveness = new LockFileLeaseLiveness(join(tempDir(), 'leases'));
  await (await liveness.mark(NAME, 17))!.release(true);
  const dead = await liveness.dead(NAME, 17);
  assert.ok(dead);
  await dead.release(true);
});

test('a tag never marked here has no dead holder: its lease waits for its expiry', async () => {
  const liveness = new LockFileLeaseLiveness(join(tempDir(), 'leases'));
  assert.is(await liveness.dead(NAME, 17), undefined);
});

test('a lease name with a path in it stays one file inside the leases folder', async () => {
  const dir = join(tempDir(), 'leases');
  const mark = await new LockFileLeaseLiveness(dir, 'host').mark('rebuild:lease:../../x', 5);
  assert.equal(readdirSync(dir), ['rebuild%3alease%3a%2e%2e%2f%2e%2e%2fx.5.host.lock']);
  await mark!.release();
});

/** The archive lease's holder tag, held in `dataDir` by a child process that was then SIGKILLed. */
async function killedHolder(dataDir: string): Promise<number> {
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, [...TS_CHILD_ARGS, childScript('lease-holder-child.ts'), 'archive', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) child.kill('SIGKILL'); });
    child.on('error', fail);
    child.on('close', () => done());
  });
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dataDir).dispatchDb);
  try {
    return (await checkpoints.get(ARCHIVE_LEASE)) % 1000;
  } finally {
    checkpoints.close();
  }
}

test('the mark of a holder killed with SIGKILL is dead on its host', async () => {
  const dataDir = await emptyDataDir();
  const tag = await killedHolder(dataDir);
  const dead = await new LockFileLeaseLiveness(join(dataDir, 'leases')).dead(ARCHIVE_LEASE, tag);
  assert.ok(dead);
  await dead.release(false);
});

test('the mark of a killed holder is not seen from another host sharing the data dir', async () => {
  const dataDir = await emptyDataDir();
  const tag = await killedHolder(dataDir);
  assert.is(await new LockFileLeaseLiveness(join(dataDir, 'leases'), 'another-host').dead(ARCHIVE_LEASE, tag), undefined);
});

test.run();
