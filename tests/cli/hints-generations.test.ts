// `eventlake generations promote|drop` refusals name the commands that fix them as this CLI runs them: with the global
// options given (--data-dir, --schemas), so the line runs as printed. The coordinator names them bare; the CLI spells.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { localScenarioCopies } from '../support/local-scenario-copies.ts';

const test = suite('generations refusals spell their commands with the global options (CLI)');

const scenarios = localScenarioCopies({ days: 2, eventsPerDay: 20 });
const SCHEMAS = join(resolve(fileURLToPath(new URL('../..', import.meta.url))), 'examples/outgoing-payment/schemas');

/** A fresh data dir and the global options a user runs every command with. */
async function lake(): Promise<{ dir: string; global: string }> {
  const dir = (await scenarios()).dataDir;
  return { dir, global: `--data-dir ${dir} --schemas ${SCHEMAS}` };
}

async function refused(dir: string, ...args: string[]): Promise<string> {
  const r = await runCli(['--data-dir', dir, '--schemas', SCHEMAS, ...args]);
  assert.is.not(r.code, 0, 'refused');
  return r.stderr;
}

/** Runs `work` on the data dir opened as a library, then closes it. */
async function withLake(dir: string, work: (local: Awaited<ReturnType<typeof openLocalEventlake>>) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await work(local);
  } finally {
    await local.close();
  }
}

test('promoting a generation that does not exist names generations list with the global options', async () => {
  const { dir, global } = await lake();
  const stderr = await refused(dir, 'generations', 'promote', '9', '--projection', 'balances');
  assert.match(stderr, `balances has no generation 9; it has 1 (live) (eventlake ${global} generations list --projection balances)`);
});

test('promoting a generation no rebuild wrote names its drop with the global options', async () => {
  const { dir, global } = await lake();
  let scratch = 0;
  await withLake(dir, async (local) => { scratch = await local.store.createGeneration('balances'); });
  const stderr = await refused(dir, 'generations', 'promote', String(scratch), '--projection', 'balances');
  assert.match(stderr, `was written by no rebuild`);
  assert.match(stderr, `drop it (eventlake ${global} generations drop ${scratch} --projection balances)`);
});

test('promoting a generation rebuilt under another projection version names the rebuild and the drop with the global options', async () => {
  const { dir, global } = await lake();
  assert.is((await runCli(['--data-dir', dir, 'rebuild', '--projection', 'balances', '--from', '0', '--no-promote'])).code, 0);
  await withLake(dir, async (local) => {
    const cp = (await local.store.getCheckpoint('balances', 2))!;
    await local.store.setCheckpoint('balances', 2, { ...cp, planKey: String(cp['planKey']).replace(/\|v\d+$/, '|v99') });
  });
  const stderr = await refused(dir, 'generations', 'promote', '2', '--projection', 'balances');
  assert.match(stderr, 'was rebuilt under projection version 99');
  assert.match(stderr, `rebuild it (eventlake ${global} rebuild --projection balances --from T, T a time or 0) and drop it (eventlake ${global} generations drop 2 --projection balances)`);
});

test('dropping the live generation names the rebuild that replaces it with the global options', async () => {
  const { dir, global } = await lake();
  const stderr = await refused(dir, 'generations', 'drop', '1', '--projection', 'balances');
  assert.match(stderr, 'LIVE_GENERATION_NOT_DROPPED');
  assert.match(stderr, `promote another generation first (eventlake ${global} rebuild --projection balances --from T, T a time or 0, verifies and promotes one)`);
});

test('dropping a generation that does not exist names generations list with the global options', async () => {
  const { dir, global } = await lake();
  const stderr = await refused(dir, 'generations', 'drop', '9', '--projection', 'balances');
  assert.match(stderr, `projection balances has no generation 9: eventlake ${global} generations list --projection balances shows those it has`);
});

test.run();
