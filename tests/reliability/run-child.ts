// Running a child process of the reliability tests (under the test loader, tests/support/ts-child.ts) and collecting what it printed and how it ended.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TS_CHILD_ARGS } from '../support/ts-child.ts';

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout split into lines. */
  readonly lines: readonly string[];
}

export interface ChildOptions {
  /** Kill (SIGKILL) the child this many ms after it printed `ready`. */
  readonly killAfterReadyMs?: number;
  /** Kill the child if it has not ended by then (a hang is a failure, reported as signal SIGKILL + `timedOut`). */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin (then closed). */
  readonly input?: string;
}

/** Path of a script under tests/reliability/children/. */
export const childScript = (name: string): string => fileURLToPath(new URL(`./children/${name}`, import.meta.url));

/** Run `node --import ./scripts/ts-loader.mjs <script> ...args` to its end. */
export function runChild(script: string, args: readonly string[], options: ChildOptions = {}): Promise<ChildResult & { timedOut: boolean }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...TS_CHILD_ARGS, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => {
      const before = stdout;
      stdout += d.toString();
      if (options.killAfterReadyMs !== undefined && !before.includes('ready\n') && stdout.includes('ready\n')) {
        setTimeout(() => child.kill('SIGKILL'), options.killAfterReadyMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, lines: stdout.split('\n').filter(Boolean), timedOut });
    });
    child.stdin.end(options.input ?? '');
  });
}
