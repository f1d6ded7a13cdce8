// The CLI run in this process (so mocked SDK clients reach it), with what it writes captured and its exit code.

import { main } from '../../cli/main.ts';

/** `eventlake args` in-process: stdout, stderr and the exit code; process.exitCode is left as it was. */
export async function cliInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const [write, writeErr, exitCode] = [process.stdout.write, process.stderr.write, process.exitCode];
  process.stdout.write = ((chunk: unknown) => { out += String(chunk); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => { err += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    return { code: await main(args), out, err };
  } finally {
    [process.stdout.write, process.stderr.write] = [write, writeErr];
    process.exitCode = exitCode;
  }
}
