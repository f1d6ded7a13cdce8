// runFixture: a fixture of the test run is built once however many processes ask for it at once, a lock left by a
// killed builder does not stop the others, and outside a run's temp dir (a file run alone) nothing outlives the process.

import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureName } from './run-fixtures.ts';
import { tempDir } from './tmp.ts';

const test = suite('runFixture: built once per test run');
const run = promisify(execFile);
const HELPER = fileURLToPath(new URL('./run-fixtures.ts', import.meta.url));

/** A process asking for fixture `key`: its build logs a line to builds.log, waits 300 ms (the race), writes `data`. */
const ASK = (key: string) => `
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const { runFixture } = await import(${JSON.stringify(HELPER)});
const dir = await runFixture(${JSON.stringify(key)}, async (d) => {
  appendFileSync(join(tmpdir(), '..', 'builds.log'), process.pid + '\\n');
  await new Promise((r) => setTimeout(r, 300));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(d);
  writeFileSync(join(d, 'data'), 'built by ' + process.pid);
});
process.stdout.write(dir);
`;

/**
 * Run `count` processes at once with TMPDIR `tmp` (and, for a run's temp dir, the run's fixture folder as
 * scripts/test.mjs sets it); what each printed, and how many builds ran.
 */
async function ask(tmp: string, count: number, key = 'k', inRun = true): Promise<{ dirs: string[]; builds: number }> {
  const script = join(tmp, '..', 'ask.mts');
  writeFileSync(script, ASK(key));
  const outs = await Promise.all(Array.from({ length: count }, () =>
    run(process.execPath, ['--import', 'tsx', script], { env: envFor(tmp, inRun), timeout: 60_000 })));
  const log = (() => { try { return readFileSync(join(tmp, '..', 'builds.log'), 'utf8'); } catch { return ''; } })();
  return { dirs: outs.map((o) => o.stdout), builds: log.split('\n').filter(Boolean).length };
}

/** The environment a file gets: from scripts/test.mjs, a run's fixture folder; run alone, none. */
function envFor(tmp: string, inRun: boolean): NodeJS.ProcessEnv {
  const { EVENTLAKE_TEST_RUN_FIXTURES: _, ...env } = process.env;
  return inRun ? { ...env, TMPDIR: tmp, EVENTLAKE_TEST_RUN_FIXTURES: join(tmp, 'run-fixtures') } : { ...env, TMPDIR: tmp };
}

/** A run's temp dir as scripts/test.mjs names it, inside a folder of this test's own. */
function runTmp(name = 'eventlake-tests-x'): string {
  const dir = join(tempDir(), name);
  mkdirSync(dir);
  return dir;
}

test('three processes asking for the same fixture at once build it once and all read the same complete folder', async () => {
  const tmp = runTmp();
  const { dirs, builds } = await ask(tmp, 3);
  assert.is(builds, 1);
  assert.equal(new Set(dirs).size, 1);
  assert.match(readFileSync(join(dirs[0]!, 'data'), 'utf8'), /^built by \d+$/);
  assert.equal(readdirSync(join(tmp, 'run-fixtures')), [dirs[0]!.split('/').pop()], 'no lock or half-built folder is left');
});

test('a lock left by a builder that was killed is taken over, and the fixture is built', async () => {
  const tmp = runTmp();
  const dead = await run(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  mkdirSync(join(tmp, 'run-fixtures'));
  writeFileSync(join(tmp, 'run-fixtures', `${fixtureName('k')}.lock`), dead.stdout);
  const { dirs, builds } = await ask(tmp, 1);
  assert.is(builds, 1);
  assert.match(readFileSync(join(dirs[0]!, 'data'), 'utf8'), /^built by \d+$/);
});

test('outside a run (no run fixture folder) each process builds its own fixture, in a folder removed with the process', async () => {
  const tmp = runTmp('not-a-run');
  const { dirs, builds } = await ask(tmp, 2, 'k', false);
  assert.is(builds, 2);
  assert.is(new Set(dirs).size, 2);
  // tsx keeps its transform cache in TMPDIR too: that is not ours.
  assert.equal(readdirSync(tmp).filter((n) => !n.startsWith('tsx-')), [], 'nothing is kept once the processes ended');
});

test.run();
