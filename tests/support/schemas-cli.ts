// `eventlake schemas …` run in-process, with only the schemas command and the global options it reads: cheaper than
// spawning the CLI, for tests of what it prints and the exit code it asks for.

import { Command } from 'commander';
import { loadSchemaRegistry, registerSchemasCommand } from '../../cli/commands/schemas.ts';

/** Run `eventlake <args>`; returns stdout and the exit code it asked for (process.exitCode is as before after). */
export async function runSchemasCommand(...args: string[]): Promise<{ out: string; exitCode: number }> {
  const program = new Command('eventlake')
    .option('--schemas <dir>', 'extra schema folder', (v: string, prev: string[] = []) => [...prev, v])
    .option('--extensions <file>', 'extensions module')
    .exitOverride();
  registerSchemasCommand(program, loadSchemaRegistry);
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  // Only the code this command sets is its answer: one an earlier failed test left (uvu sets 1) is kept for the end.
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.stdout.write = write;
    process.exitCode = before;
  }
}
