// Concurrent emitters of the same identities from several processes on one data dir: identical content is stored
// exactly once (one emitter sees `stored`, the others `duplicate`); different content under one identity is stored
// once, from one winner, and every other emitter gets EventConflictError (exit code 1 and EVENT_CONFLICT from the CLI).
//
// Exactly one emitter is told `stored`: identities are claimed under the log catalogue's lock, so the emitter whose
// event was stored can no longer be told `duplicate` (an earlier wrinkle, when another process's indexer could
// materialize a journaled line before its writer linked it). A win reported as `duplicate` now fails the test.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { inCI, Tally } from '../support/summary.ts';
import { conflictEvent, roundEvents } from './children/workload.ts';
import { exactlyOnceProblems } from './invariants.ts';
import { childScript, runChild } from './run-child.ts';
import { scratchDir } from './scratch-dir.ts';
import { TS_CHILD_ARGS } from '../support/ts-child.ts';

const test = suite('concurrent emitters of one identity');
const tally = new Tally();
const EMITTERS = 4;
const ROUNDS = inCI() ? 8 : 40;
const CLI = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));

/** A long-lived emitter process driven line by line. */
class Emitter {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly waiting: { prefix: string; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  private exited: Error | undefined;
  readonly lines: string[] = [];
  stderr = '';

  constructor(dataDir: string, n: number) {
    this.child = spawn(process.execPath, [...TS_CHILD_ARGS, childScript('emitter-child.ts'), dataDir, String(n)]);
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    // A child that dies must fail the test with its stderr, never leave it waiting for a line that cannot come.
    this.child.on('exit', (code, signal) => {
      this.exited = new Error(`emitter ${n} exited (${code ?? signal}) while the test waited: ${this.stderr.slice(-2000)}`);
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    });
    this.child.stdout.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.lines.push(line);
        const i = this.waiting.findIndex((w) => line.startsWith(w.prefix));
        if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(line);
      }
    });
  }

  /** Resolves with the first line (from now on, or already printed) that starts with `prefix`. */
  next(prefix: string, timeoutMs = 60_000): Promise<string> {
    const seen = this.lines.find((l) => l.startsWith(prefix));
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${prefix}" from an emitter within ${timeoutMs} ms; its stderr: ${this.stderr.slice(-2000)}`)), timeoutMs);
      this.waiting.push({ prefix, resolve: (line) => { clearTimeout(timer); resolve(line); }, reject: (e) => { clearTimeout(timer); reject(e); } });
    });
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Ask the child to close its eventlake and exit; resolves with its exit code. */
  quit(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.stdin.writableEnded) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => {
      this.child.on('close', (code) => resolve(code));
      this.child.stdin.end('quit\n');
    });
  }
}

test(`${EMITTERS} processes racing on the same identities for ${ROUNDS} rounds: each stored once, conflicts rejected`, async () => {
  const dataDir = scratchDir();
  const emitters = Array.from({ length: EMITTERS }, (_, n) => new Emitter(dataDir, n));
  const expected: DomainEvent[] = [];
  const problems: string[] = [];
  let emits = 0;
  let duplicatesStored = 0;
  let unreportedWins = 0;
  try {
    await Promise.all(emitters.map((e) => e.next('ready')));
    for (let round = 0; round < ROUNDS; round++) {
      for (const e of emitters) e.send(`go ${round}`); // released together
      await Promise.all(emitters.map((e) => e.next(`end ${round}`)));
      const shared = roundEvents(round);
      const statuses = await Promise.all(emitters.map(async (e) => (await e.next(`shared ${round} `)).split(' ')[2]!.split(',')));
      emits += EMITTERS * (shared.length + 1);
      shared.forEach((_, i) => {
        const stored = statuses.filter((s) => s[i] === 'stored').length;
        const duplicate = statuses.filter((s) => s[i] === 'duplicate').length;
        if (stored > 1) duplicatesStored += stored - 1;
        if (stored === 0) unreportedWins++;
        if (stored > 1 || stored + duplicate !== EMITTERS) problems.push(`round ${round} event ${i}: ${stored} stored, ${duplicate} duplicate`);
      });
      const conflicts = await Promise.all(emitters.map(async (e) => (await e.next(`conflict ${round} `)).split(' ').slice(2).join(' ')));
      // The winner is whoever was not refused; it must be told `stored` (counted below as an unreported win if not).
      const winners = conflicts.flatMap((c, n) => (c === 'stored' || c === 'duplicate' ? [n] : []));
      if (winners.length > 1) duplicatesStored += winners.length - 1;
      if (conflicts[winners[0] ?? -1] === 'duplicate') unreportedWins++;
      if (winners.length !== 1 || conflicts.filter((c) => c === 'EVENT_CONFLICT').length !== EMITTERS - 1) problems.push(`round ${round} conflict: ${conflicts.join(' | ')}`);
      expected.push(...shared, conflictEvent(round, winners[0] ?? 0));
    }
    const codes = await Promise.all(emitters.map((e) => e.quit()));
    if (codes.some((c) => c !== 0)) problems.push(`emitter exit codes ${codes.join(',')}: ${emitters.map((e) => e.stderr).join('\n')}`);
  } finally {
    await Promise.all(emitters.map((e) => e.quit()));
  }
  const local = await openLocalEventlake({ dataDir });
  try {
    await local.catchUp();
    problems.push(...(await exactlyOnceProblems(local, expected)));
  } finally {
    await local.close();
  }
  tally.add('concurrent emits', { emits, processes: EMITTERS, rounds: ROUNDS, 'duplicates stored': duplicatesStored, 'wins reported as duplicate': unreportedWins, mismatches: problems.length });
  assert.is(duplicatesStored, 0);
  assert.is(unreportedWins, 0, 'an emitter whose event was stored was told duplicate');
  assert.equal(problems, []);
});

test('CLI processes emitting one identity: identical input exits 0 everywhere, different content exits 1 with EVENT_CONFLICT but for one', async () => {
  const dataDir = scratchDir();
  const inputs = scratchDir('eventlake-inputs-'); // beside the data dir, not in it; removed at exit like it
  const write = (name: string, event: DomainEvent) => {
    const file = join(inputs, `${name}.json`);
    writeFileSync(file, JSON.stringify(event));
    return file;
  };
  const emitAll = (files: string[]) => Promise.all(files.map((f) => runChild(CLI, ['--data-dir', dataDir, 'emit', f, '--json'])));
  const same = await emitAll(Array.from({ length: EMITTERS }, () => write('same', conflictEvent(90, 0))));
  assert.equal(same.map((r) => r.code), Array(EMITTERS).fill(0), same.map((r) => r.stderr).join('\n'));
  const stored = same.filter((r) => r.stdout.includes('"status":"stored"')).length;
  assert.ok(stored <= 1, `${stored} processes stored the same event`);
  assert.is(stored + same.filter((r) => r.stdout.includes('"status":"duplicate"')).length, EMITTERS);
  const different = await emitAll(Array.from({ length: EMITTERS }, (_, n) => write(`different-${n}`, conflictEvent(91, n))));
  const codes = different.map((r) => r.code).sort();
  assert.equal(codes, [0, ...Array(EMITTERS - 1).fill(1)], different.map((r) => r.stderr).join('\n'));
  for (const r of different.filter((x) => x.code === 1)) assert.match(r.stderr, /^eventlake: EVENT_CONFLICT: input #0: event incoming_payment_c0ffee00-/);
  const local = await openLocalEventlake({ dataDir });
  try {
    await local.catchUp();
    assert.equal(await exactlyOnceProblems(local, [conflictEvent(90, 0), conflictEvent(91, different.findIndex((r) => r.code === 0))]), []);
  } finally {
    await local.close();
  }
  tally.add('concurrent emits (CLI processes)', { emits: 2 * EMITTERS, 'duplicates stored': Math.max(0, stored - 1), conflicts: EMITTERS - 1 });
});

test.run();
