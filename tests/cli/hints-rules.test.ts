// Messages about a projection's rules (one that throws, or other rules than those that built a generation) name the
// commands that follow as this CLI runs them: with the global options given (--data-dir, --extensions), so the line
// runs as printed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { localScenarioCopies } from '../support/local-scenario-copies.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('rule messages spell their commands with the global options (CLI)');

const scenarios = localScenarioCopies({ days: 2, eventsPerDay: 20 });
const REFUSE = 'EVENTLAKE_TEST_HINTS_REFUSE';

/**
 * A module replacing the built-in incoming_payment rule with one of the same effect that throws while REFUSE is set:
 * its text (so its fingerprint) stays the same whether it throws or not.
 */
function extensionsModule(): string {
  const file = join(tempDir(), 'refusing.extensions.mjs');
  writeFileSync(file, `export const balanceRules = { incoming_payment: { decide: (e) => {\n` +
    `if (process.env.${REFUSE} === '1') throw new Error('incoming payments refused by the rule');\n` +
    `return { counters: [{ key: String(e.TargetAccount), delta: BigInt(String(e.Amount).replace('.', '')) }] };\n} } };\n`);
  return file;
}

/** A fresh data dir, the module, and the global options that load it. */
async function lake(): Promise<{ dir: string; global: string[] }> {
  const dir = (await scenarios()).dataDir;
  return { dir, global: ['--data-dir', dir, '--extensions', extensionsModule()] };
}

async function cli(args: string[], refusing = false) {
  if (refusing) process.env[REFUSE] = '1';
  try {
    return await runCli(args);
  } finally {
    delete process.env[REFUSE];
  }
}

async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  assert.is(r.code, 0, r.stderr);
  return r.stdout;
}

test('verify stopped by a rule that throws names the verify to run again and the dlq commands with the global options', async () => {
  const { global } = await lake();
  const r = await cli([...global, 'verify', '--projection', 'balances'], true);
  assert.is(r.code, 1, r.stderr);
  const options = global.join(' ');
  assert.match(r.stderr, `then run the same command again: eventlake ${options} verify --projection balances. `);
  assert.match(r.stderr, `eventlake ${options} dlq list --projection balances shows it if dispatch met it, and eventlake ${options} dlq redrive --projection balances delivers it`);
});

test('generations promote whose verification a rule stops names the promote to run again with its generation and the global options', async () => {
  const { global } = await lake();
  await ok([...global, 'rebuild', '--projection', 'balances', '--from', '0', '--no-promote']);
  const r = await cli([...global, 'generations', 'promote', '2', '--projection', 'balances'], true);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `then run the same command again: eventlake ${global.join(' ')} generations promote 2 --projection balances. `);
});

test('generations promote of a generation built with other rules names the rebuild and the drop with the global options', async () => {
  const { dir, global } = await lake();
  await ok([...global, 'rebuild', '--projection', 'balances', '--from', '0', '--no-promote']);
  const r = await cli(['--data-dir', dir, 'generations', 'promote', '2', '--projection', 'balances']);
  assert.match(r.stderr, 'GENERATION_RULES_CHANGED');
  assert.match(r.stderr, `rebuild it with these rules (eventlake --data-dir ${dir} rebuild --projection balances --from T, T a time or 0, then eventlake --data-dir ${dir} generations drop 2 --projection balances)`);
});

test('generations list flags a live generation built with other rules and names the rebuild with the global options', async () => {
  const { dir, global } = await lake();
  await ok([...global, 'rebuild', '--projection', 'balances', '--from', '0']);
  assert.match(await ok(['--data-dir', dir, 'generations', 'list']), `rebuild to apply them to past events (eventlake --data-dir ${dir} rebuild --projection balances --from 0)`);
});

test('status flags a live generation built with other rules and names the rebuild with the global options', async () => {
  const { dir, global } = await lake();
  await ok([...global, 'rebuild', '--projection', 'balances', '--from', '0']);
  assert.match(await ok(['--data-dir', dir, 'status']), `rebuild to apply them to past events (eventlake --data-dir ${dir} rebuild --projection balances --from 0)`);
});

test.run();
