// A lease whose holder was SIGKILLed is taken over at once on a local data dir, not 5 minutes later: the holder's
// lock file (adapters/local/lease-marks.ts) is freed by the kernel when its process dies. A live holder's lease is
// still refused, so the takeover is the kernel's word and not a lease nobody checks.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { ArchiveRunInProgressError, RebuildInProgressError } from '../../domain/projection-errors.ts';
import { ArchiveLease } from '../../projections/archive-lease.ts';
import { RebuildLease } from '../../projections/rebuild/rebuild-lease.ts';
import { rejects } from '../support/async.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { childScript } from './run-child.ts';
import { TS_CHILD_ARGS } from '../support/ts-child.ts';

const test = suite('a lease whose holder was killed');
type Kind = 'archive' | 'rebuild';

/** A child process holding `kind`'s lease in `dataDir` (once this resolves), and how to SIGKILL it. */
function holder(kind: Kind, dataDir: string): Promise<{ kill: () => Promise<void> }> {
  return new Promise((ready, fail) => {
    const child = spawn(process.execPath, [...TS_CHILD_ARGS, childScript('lease-holder-child.ts'), kind, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let [out, err] = ['', ''];
    const ended = new Promise<void>((done) => child.on('close', () => done()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) ready({ kill: () => { child.kill('SIGKILL'); return ended; } });
    });
    child.on('error', fail);
    void ended.then(() => fail(new Error(`the holder ended before it held the lease: ${err}`)));
  });
}

/** Take `kind`'s lease in `dataDir` from this process, with a wall clock that never reaches its expiry. */
async function takeIn(kind: Kind, dataDir: string): Promise<void> {
  const local = await openLocalEventlake({ dataDir });
  try {
    const lease = kind === 'archive' ? await ArchiveLease.acquire(local.checkpoints) : await RebuildLease.acquire(local.checkpoints, 'balances');
    await lease.release();
  } finally {
    await local.close();
  }
}

const REFUSALS: [Kind, abstract new (...args: never[]) => Error][] = [['archive', ArchiveRunInProgressError], ['rebuild', RebuildInProgressError]];

/** A new data dir and a holder of `kind`'s lease in it, started now; its test reports a failure to start. */
function heldLake(kind: Kind): Promise<{ dataDir: string; holder: { kill: () => Promise<void> } }> {
  const started = (async () => {
    const dataDir = await emptyDataDir();
    return { dataDir, holder: await holder(kind, dataDir) };
  })();
  started.catch(() => undefined);
  return started;
}

// Every test's holder starts at once, before the first test: each is a child under the test loader that takes seconds to start,
// and started one after another they made this file take over 30 s.
const alive = new Map(REFUSALS.map(([kind]) => [kind, heldLake(kind)]));
const killed = new Map(REFUSALS.map(([kind]) => [kind, heldLake(kind)]));
const killedForLockFile = heldLake('archive');

for (const [kind, Refusal] of REFUSALS) {
  test(`${kind}: the lease of a holder that is alive is refused`, async () => {
    const { dataDir, holder: living } = await alive.get(kind)!;
    try {
      await rejects(() => takeIn(kind, dataDir), Refusal);
    } finally {
      await living.kill();
    }
  });

  test(`${kind}: the lease of a holder killed with SIGKILL is taken at once`, async () => {
    const { dataDir, holder: dying } = await killed.get(kind)!;
    await dying.kill();
    await takeIn(kind, dataDir);
  });
}

test('a killed holder\'s lock file is deleted once its lease is taken over', async () => {
  const { dataDir, holder: dying } = await killedForLockFile;
  await dying.kill();
  await takeIn('archive', dataDir);
  assert.equal(readdirSync(join(dataDir, 'leases')), []);
});

test.run();
