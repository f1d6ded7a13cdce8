// `eventlake verify` and `eventlake rebuild` with an --extensions module whose rule throws on an event (dispatch
// dead-lettered it): they ended with "unexpected error" and a stack trace (exit 3). Now one typed line naming the
// event, the rule's message and the fix (exit 1); the rebuild keeps its generation unfinished, and once the rule is
// fixed the same rebuild command finishes. The commands run as `bin/eventlake.js` in a child process, as a user runs them.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { once } from '../support/run-ahead.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake verify / rebuild with a rule that throws');

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const EXAMPLE = join(ROOT, 'examples/outgoing-payment');
const UNLUCKY = 'outgoing_payment_7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const RULE_ERROR = 'Error: unlucky amount 13.13 refused by the rule';
const REBUILD = ['rebuild', '--projection', 'balances', '--from', '0'];

/** The extensions module: its outgoing_payment rule refuses 13.13 until fixed (the fix changes its text). */
function writeModule(file: string, refusing: boolean): void {
  const refuse = refusing ? "if (e.Amount === '13.13') throw new Error('unlucky amount 13.13 refused by the rule');\n" : '';
  writeFileSync(file, `import { defineExtensions, parseAmount, type DomainEvent } from ${JSON.stringify(join(ROOT, 'index.ts'))};\n` +
    'export const { balanceRules } = defineExtensions({ balanceRules: { outgoing_payment: { decide: (e: DomainEvent) => {\n' +
    `${refuse}return { counters: [{ key: String(e.SourceAccount), delta: -parseAmount(String(e.Amount)) }] };\n} } } });\n`);
}

/** `eventlake ARGS` in a child process (not awaited in turn, so two can run at once). */
function eventlake(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/eventlake.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/**
 * A data dir holding the example's events, the rent paid with 13.13, emitted with the refusing module (dispatch
 * dead-lettered it); returns the global options and the module's path.
 */
async function lakeWithRefusingRule(): Promise<{ global: string[]; module: string }> {
  const dir = tempDir();
  const module = join(dir, 'unlucky.ext.ts');
  writeModule(module, true);
  const events = join(dir, 'events.ndjson');
  writeFileSync(events, readFileSync(join(EXAMPLE, 'events.ndjson'), 'utf8').replace('"1200.00"', '"13.13"'));
  const global = ['--data-dir', join(dir, 'lake'), '--schemas', join(EXAMPLE, 'schemas'), '--extensions', module];
  // In this process: it only sets the scene (and loads the module once; the children load it anew).
  const emitted = await runCli([...global, 'emit', events]);
  assert.is(emitted.code, 0, emitted.stderr);
  return { global, module };
}

/** The lines of stderr that are eventlake's messages (a rebuild's progress lines are JSON objects). */
const messages = (stderr: string): string[] => stderr.split('\n').filter((l) => l !== '' && !l.startsWith('{'));

// The verify and the first rebuild, each on a lake of its own, run side by side (the scenes are set one after the
// other: runCli captures this process's stdout). Three tests read the one refused rebuild (the same command on the
// same scene): its message, the commands it spells, and what fixing the rule does next.
const verifyLake = once(lakeWithRefusingRule);
const refusedVerify = once(async () => {
  const { global } = await verifyLake();
  return { global, r: await eventlake([...global, 'verify', '--projection', 'balances']) };
});
const refusedRebuild = once(async () => {
  await verifyLake().catch(() => undefined);
  const lake = await lakeWithRefusingRule();
  return { ...lake, r: await eventlake([...lake.global, ...REBUILD]) };
});
void Promise.allSettled([refusedVerify(), refusedRebuild()]);

test('verify with a rule that throws exits 1 with one PROJECTION_RULE_FAILED line naming the event, the rule\'s error and the fix', async () => {
  const { global, r } = await refusedVerify();
  assert.is(r.code, 1, r.stderr);
  const [line, ...more] = messages(r.stderr);
  assert.equal(more, [], r.stderr);
  assert.match(line!, `eventlake: PROJECTION_RULE_FAILED: projection balances: its rule for outgoing_payment threw on event ${UNLUCKY}: ${RULE_ERROR}`);
  assert.match(line!, 'Fix the rule (in the --extensions module, or the code that defines the projection), then run the same command again');
  assert.match(line!, `eventlake ${global.join(' ')} dlq list --projection balances shows it`);
});

test('rebuild with a rule that throws exits 1 with one line naming the event and the unfinished generation it keeps', async () => {
  const { r } = await refusedRebuild();
  assert.is(r.code, 1, r.stderr);
  const [line, ...more] = messages(r.stderr);
  assert.equal(more, [], r.stderr);
  assert.match(line!, `eventlake: PROJECTION_RULE_FAILED: projection balances: its rule for outgoing_payment threw on event ${UNLUCKY} (position 3): ${RULE_ERROR}`);
  assert.match(line!, 'the rebuild stopped there and keeps generation 2 unfinished at its last checkpoint');
  assert.match(line!, 'then run the same command again, which continues generation 2 from that checkpoint');
});

test('a rebuild stopped by a rule spells the command to run again and the dlq commands, with the global options it was given', async () => {
  const { global, r } = await refusedRebuild();
  const [line] = messages(r.stderr);
  const options = global.join(' ');
  assert.match(line!, `when the rule's text changed: eventlake ${options} rebuild --projection balances --from 0. `);
  assert.match(line!, `eventlake ${options} dlq list --projection balances shows it if dispatch met it, and eventlake ${options} dlq redrive --projection balances delivers it`);
});

test('once the rule is fixed, the same rebuild command finishes and promotes, leaving no unfinished generation', async () => {
  const { global, module, r } = await refusedRebuild();
  assert.is(r.code, 1);
  writeModule(module, false);
  const again = await eventlake([...global, ...REBUILD]);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, 'promoted balances generation 3 (was 1)');
  // A read-back, in this process: the child above is what the test is about.
  const listed = await runCli([...global, 'generations', 'list', '--projection', 'balances']);
  assert.is(listed.code, 0, listed.stderr);
  assert.not.match(listed.stdout, 'unfinished');
});

test.run();
