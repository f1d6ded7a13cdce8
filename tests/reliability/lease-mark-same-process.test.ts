// A live holder's lease mark stays locked whatever else its own process does with the same lock file: POSIX locks are
// per process, and closing ANY descriptor of a file drops all of the process's locks on it. A mark whose lock was
// dropped that way is found dead by another process, which then takes over a lease whose holder is alive: two
// rebuilds or archive runs of one lake at once. Asked from a real child process, since only another process sees the
// kernel's locks (SQLite answers a second connection of the same process from its own bookkeeping).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LockFileLeaseLiveness } from '../../adapters/local/lease-marks.ts';
import { childScript, runChild } from './run-child.ts';

const test = suite('lease marks: a live holder stays alive to other processes');
const NAME = 'rebuild:lease:balances';

const leasesDir = (): string => join(mkdtempSync(join(tmpdir(), 'eventlake-marks-')), 'leases');

/** What another process finds holder `tag` of NAME under `dir` to be. */
async function seenFromAnotherProcess(dir: string, tag: number): Promise<string> {
  const child = await runChild(childScript('lease-mark-probe-child.ts'), [dir, NAME, String(tag)], { timeoutMs: 30_000 });
  assert.is(child.code, 0, child.stderr);
  return child.lines[0] ?? '';
}

/** Holder 7 of NAME marked by one runtime of this process while `meanwhile` runs, and what another process sees then. */
async function aliveTo(meanwhile: (dir: string) => Promise<void>): Promise<string> {
  const dir = leasesDir();
  const holder = await new LockFileLeaseLiveness(dir).mark(NAME, 7);
  assert.ok(holder);
  try {
    await meanwhile(dir);
    return await seenFromAnotherProcess(dir, 7);
  } finally {
    await holder.release();
  }
}

test('a holder is alive to another process while it holds its mark', async () => {
  assert.is(await aliveTo(async () => {}), 'alive');
});

test('a same-process taker drawing the holder\'s tag leaves the holder alive to other processes', async () => {
  // Two runtimes on one data dir in one process (eventlake serve and a rebuild): each its own liveness.
  const seen = await aliveTo(async (dir) => {
    assert.is(await new LockFileLeaseLiveness(dir).mark(NAME, 7), undefined, 'the tag is marked by a live holder');
  });
  assert.is(seen, 'alive');
});

test('a same-process dead() check of a live holder leaves it alive to other processes', async () => {
  const seen = await aliveTo(async (dir) => {
    assert.is(await new LockFileLeaseLiveness(dir).dead(NAME, 7), undefined, 'alive to its own process');
  });
  assert.is(seen, 'alive');
});

test.run();
