// A data dir another user owns is refused for commands that open it (they write even to read, and what they create
// is 0600/0700 for the running user, locking the owner out), unless EVENTLAKE_ALLOW_FOREIGN_OWNER=1.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';
import { fakeUids, snapshotOf } from '../adapters/local/open-readonly-faults.ts';

const test = suite('a data dir another user owns');

/** A data dir with one event (made as the real user), and a file of one more event to emit. */
async function dataDirAndInput(): Promise<{ dir: string; input: string }> {
  const dir = join(tempDir(), 'lake');
  const input = join(tempDir(), 'events.ndjson');
  writeFileSync(input, `${JSON.stringify(SAMPLES.cash_deposit)}\n`);
  const made = await runCli(['--data-dir', dir, 'emit', input]);
  assert.is(made.code, 0, made.stderr);
  writeFileSync(input, `${JSON.stringify(SAMPLES.cash_withdrawal)}\n`);
  return { dir, input };
}

async function emitAs(running: number, owner: number, dir: string, input: string, allow?: string) {
  return runAs(running, owner, ['--data-dir', dir, 'emit', input], allow);
}

async function runAs(running: number, owner: number, args: readonly string[], allow?: string) {
  const undo = fakeUids(running, () => owner);
  const saved = process.env['EVENTLAKE_ALLOW_FOREIGN_OWNER'];
  if (allow === undefined) delete process.env['EVENTLAKE_ALLOW_FOREIGN_OWNER'];
  else process.env['EVENTLAKE_ALLOW_FOREIGN_OWNER'] = allow;
  try {
    return await runCli([...args]);
  } finally {
    undo();
    if (saved === undefined) delete process.env['EVENTLAKE_ALLOW_FOREIGN_OWNER'];
    else process.env['EVENTLAKE_ALLOW_FOREIGN_OWNER'] = saved;
  }
}

test('emit as another uid than the data dir owner is refused naming both uids and the fixes, changing nothing', async () => {
  const { dir, input } = await dataDirAndInput();
  const before = snapshotOf(dir);
  const r = await emitAs(0, 1000, dir, input);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `eventlake: DATA_DIR_FOREIGN_OWNER: ${dir} belongs to uid 1000 but eventlake runs as uid 0, so nothing was opened or created`);
  assert.match(r.stderr, `runuser -u $(stat -c %U ${dir}) -- eventlake`);
  assert.match(r.stderr, `chown -R 0 ${dir}`);
  assert.match(r.stderr, 'set EVENTLAKE_ALLOW_FOREIGN_OWNER=1');
  assert.not.match(r.stderr, /\n\s+at /);
  assert.equal(snapshotOf(dir), before);
});

test('emit as another uid is let through with EVENTLAKE_ALLOW_FOREIGN_OWNER=1', async () => {
  const { dir, input } = await dataDirAndInput();
  const r = await emitAs(0, 1000, dir, input, '1');
  assert.is(r.code, 0, r.stderr);
});

test('emit as the data dir owner is let through', async () => {
  const { dir, input } = await dataDirAndInput();
  const r = await emitAs(1000, 1000, dir, input);
  assert.is(r.code, 0, r.stderr);
});

test('repair index and repair catalogue, which open no runtime, refuse another uid\'s data dir too, changing nothing', async () => {
  const { dir } = await dataDirAndInput();
  const before = snapshotOf(dir);
  for (const what of ['index', 'catalogue']) {
    const r = await runAs(0, 1000, ['--data-dir', dir, 'repair', what]);
    assert.is(r.code, 1, `${what}: ${r.stdout}`);
    assert.match(r.stderr, `eventlake: DATA_DIR_FOREIGN_OWNER: ${dir} belongs to uid 1000`, what);
  }
  assert.equal(snapshotOf(dir), before);
});

test('a data dir not there yet is made by whoever runs, whoever owns the folder above it', async () => {
  const { input } = await dataDirAndInput();
  const dir = join(tempDir(), 'new-lake');
  const r = await emitAs(0, 1000, dir, input);
  assert.is(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'index.db')));
});

test.run();
