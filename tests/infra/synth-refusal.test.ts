// A synth that eventlake refuses under `cdk synth` (CDK_OUTDIR set, so CDK's App synthesizes itself at exit) ends with
// its one-line error: the half-built app is not synthesized after it, so no empty-stack warning reads as a second
// problem; a synth that succeeds still synthesizes at exit and prints CDK's own output.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { once, testsAhead } from '../support/run-ahead.ts';
import { tempDir } from '../support/tmp.ts';

const ROOT = join(import.meta.dirname, '../..');
const USER_APP = join(import.meta.dirname, 'fixtures/user-app/app.ts');
const INFRA = pathToFileURL(join(ROOT, 'infra/index.ts')).href;
const VALIDATION_CACHE = pathToFileURL(join(import.meta.dirname, '../support/cfn-validation-cache.ts')).href;
const CDK_WARNING = /warning|empty|no stacks/i;

/**
 * `args` run as `cdk synth` runs an app: offline, with CDK_OUTDIR (and the given context) set; from a fresh folder
 * unless `cwd` is given. `outdir` is where CDK would write the cloud assembly. Only a synth that succeeds is validated,
 * so only its args import VALIDATION_CACHE (reading the validator's rules costs a refused run ~0.3 s of CPU for nothing).
 */
function synth(
  args: string[], options: { cwd?: string; context?: Record<string, string> } = {},
): Promise<{ status: number | null; stdout: string; stderr: string; outdir: string }> {
  const outdir = join(tempDir(), 'cdk.out');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), ...args], {
      cwd: options.cwd ?? tempDir(), stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(options.context ?? {}) },
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr, outdir }));
  });
}

/** An exit listener registered before the app runs (a preload), which a refusal must leave in place. */
const OWN_LISTENER = `data:text/javascript,${encodeURIComponent("process.once('beforeExit', () => console.log('own listener ran'));")}`;

/**
 * The user's app refused for `./nope`, with a listener of the process's own: three tests read the one run (its stderr,
 * what it left in the outdir, and that the listener still ran); each run is a process that loads all of infra.
 */
const userAppRefused = once(() => synth(['--import', OWN_LISTENER, USER_APP, './nope']));

/** An ES module run with `node -e` from the repository (where aws-cdk-lib resolves), importing runSynth from eventlake/infra. */
const script = (body: string) => ['--input-type=module', '-e', `import { App, Stack } from 'aws-cdk-lib';\nimport { runSynth } from '${INFRA}';\n${body}`];
const lines = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '');

// Each synth is a process of its own on a folder of its own: they run ahead of their tests, two at a time.
const synthTests = suite('synth refusal');
const ahead = testsAhead(synthTests);
const test = ahead.test;

test('a user\'s own CDK app refused by runSynth prints only the one-line error on stderr, no CDK warning after it', async () => {
  const r = await userAppRefused();
  assert.is(r.status, 1, r.stderr);
  assert.is(lines(r.stderr).length, 1, r.stderr);
  assert.ok(lines(r.stderr).at(-1)!.startsWith('eventlake: INVALID_ARGUMENT: EventLakeProps.schemaFolders (or -c eventlake:schemaFolders): '), r.stderr);
  assert.not.match(r.stderr, CDK_WARNING);
});

test('a user\'s own CDK app refused by runSynth writes no cloud assembly for cdk to read', async () => {
  const r = await userAppRefused();
  assert.is(r.status, 1, r.stderr);
  // CDK makes the folder when the App is created; the assembly is its manifest.
  assert.not.ok(existsSync(join(r.outdir, 'manifest.json')));
});

test('the repository\'s app (cdk.json) refusing -c eventlake:schemaFolders ends with the error, no CDK warning after it', async () => {
  const r = await synth([join(ROOT, 'infra/app.ts')], { context: { 'eventlake:schemaFolders': './nope' } });
  assert.is(r.status, 1, r.stderr);
  assert.is(lines(r.stderr).length, 1, r.stderr);
  assert.ok(lines(r.stderr).at(-1)!.startsWith('eventlake: INVALID_ARGUMENT: EventLakeProps.schemaFolders (or -c eventlake:schemaFolders): '), r.stderr);
  assert.not.match(r.stderr, CDK_WARNING);
});

test('a refusal keeps the exit listeners the app registered before runSynth', async () => {
  const r = await userAppRefused();
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.startsWith('eventlake: INVALID_ARGUMENT: EventLakeProps.schemaFolders'), r.stderr);
  assert.is(r.stderr, `${lines(r.stderr)[0]}\n`);
  assert.is(r.stdout, 'own listener ran\n');
});

test('a synth that succeeds still synthesizes at exit and prints CDK\'s own warning', async () => {
  const r = await synth(['--import', VALIDATION_CACHE, ...script(`runSynth(() => { new Stack(new App(), 'Empty'); });`)], { cwd: ROOT });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, 'Resources section must exist and be non-empty');
  assert.ok(existsSync(join(r.outdir, 'Empty.template.json')));
});

ahead.run();
synthTests.run();
