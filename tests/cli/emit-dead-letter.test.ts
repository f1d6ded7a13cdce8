// `eventlake emit` (and `eventlake serve`) of an event whose balance rule throws: the event is stored and dead-lettered
// on both projections after every retry, and emit exited 0 saying nothing. It still exits 0 (the event is stored),
// with one stderr line naming how many events each projection dead-lettered, the last error and the `dlq list` to run
// (with the command's --data-dir, --schemas and --extensions).

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake emit: events dead-lettered by its catch-up');

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const EXAMPLE = join(ROOT, 'examples/outgoing-payment');
const EVENTS = join(EXAMPLE, 'events.ndjson');
/** The line, whose `dlq list` repeats the global options the command was given (`options`, plain paths here). */
const line = (options: readonly string[]) => 'eventlake: 1 event(s) dead-lettered on balances (last error: Error: rule broke), 1 event(s) ' +
  `dead-lettered on statement (last error: Error: rule broke): eventlake ${options.join(' ')} dlq list\n`;

/** Global options loading the example's schema and an extensions module whose outgoing_payment rule throws. */
function throwingRule(): string[] {
  const module = join(tempDir(), 'throw.ext.ts');
  writeFileSync(module, `import { defineExtensions } from ${JSON.stringify(join(ROOT, 'index.ts'))};\n` +
    "export const { balanceRules } = defineExtensions({ balanceRules: { outgoing_payment: { decide: () => { throw new Error('rule broke'); } } } });\n");
  return ['--data-dir', join(tempDir(), 'lake'), '--schemas', join(EXAMPLE, 'schemas'), '--extensions', module];
}

test('an emit whose event is dead-lettered exits 0 and says so on one stderr line per emit', async () => {
  const options = throwingRule();
  const r = await runCli([...options, 'emit', EVENTS]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, line(options));
  assert.is(r.stdout.split('\n').filter((l) => l.startsWith('stored')).length, 3);
});

test('a dead letter of an earlier emit is not reported again by the next one', async () => {
  const options = throwingRule();
  await runCli([...options, 'emit', EVENTS]);
  const r = await runCli([...options, 'emit', EVENTS]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
});

test('eventlake serve logs the line when a POST /events dead-lettered its event', async () => {
  const options = throwingRule();
  const child = spawn(process.execPath, [join(ROOT, 'bin/eventlake.js'), ...options, 'serve', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const waiting = new Set<() => void>();
  child.stderr.on('data', (chunk: Buffer) => { stderr += String(chunk); for (const look of waiting) look(); });
  // Bounded: a line that never comes fails the test instead of hanging it (90 s: serve starts in 1-2 s, but a CI
  // machine running three test files on two cores has been seen to take much longer).
  const seen = (text: string) => new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no "${text}" on serve's stderr within 90 s: ${stderr}`)), 90_000);
    const look = () => { if (stderr.includes(text)) { waiting.delete(look); clearTimeout(timer); done(); } };
    waiting.add(look);
    look();
  });
  try {
    await seen('listening on ');
    const url = /listening on (\S+)/.exec(stderr)![1]!;
    const rent = readFileSync(EVENTS, 'utf8').split('\n')[2]!;
    const response = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: rent });
    assert.is(response.status, 201, await response.text());
    await seen(line(options));
    assert.is(stderr.split(line(options)).length, 2, stderr);
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
  }
});

test.run();
