// Runs a synth-time child: a Node process under tsx that loads the user's extensions module as `eventlake
// --extensions` does. Why a child: the module is TypeScript and its import is asynchronous, while a construct is built
// synchronously. Why a bound and an exit: a module that waits on the network at import, or leaves a timer or a
// connection open, would otherwise hang `cdk synth` with nothing said.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { InvalidArgumentError } from '../domain/errors.ts';

/** How long a synth waits for a child; loading the built-ins and a small module takes about a second. */
export const SYNTH_CHILD_TIMEOUT_MS = 120_000;

/**
 * Run `script` (a module of infra/ run as a script) under tsx with `args`; its last stdout line is its answer. Throws
 * `InvalidArgumentError` (argument `extensions`) naming `what` when the child is still running after `timeoutMs`.
 *
 * @example
 * const child = runSynthChild(fileURLToPath(import.meta.url), [file], 'check the extensions module');
 */
export function runSynthChild(script: string, args: readonly string[], what: string, timeoutMs: number = SYNTH_CHILD_TIMEOUT_MS): SpawnSyncReturns<string> {
  const child = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), script, ...args], { encoding: 'utf8', timeout: timeoutMs });
  if (child.signal !== null && (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
    throw new InvalidArgumentError('extensions', `the synth could not ${what}: loading it took more than ${timeoutMs} ms and was stopped; ` +
      'make the module load without waiting on the network or a long computation (eventlake --extensions loads it the same way)');
  }
  return child;
}

/**
 * End a child after its answer is written. Why exit rather than return: a module that keeps a handle open (a timer, a
 * connection pool made at load) would keep the child alive, and the synth waiting on it, after the answer was written.
 */
export function answerAndExit(line: string, code: number): void {
  process.stdout.write(`${line}\n`, () => process.exit(code));
}
