// The `eventlake` command line as a module: main() (cli/cli.ts) and, for tests, the program with every command.

import type { Command } from 'commander';
import { registrarsFor } from './command-table.ts';
import { main, programWith } from './cli.ts';
import { startedAsMain } from './started-as-main.ts';

export { main };

// Run when started as `node --import tsx cli/main.ts …` (npm start): one command's module, as bin/eventlake.js loads.
const startedHere = startedAsMain(import.meta.url, process.argv[1]);
// Imported (by tests), every command is loaded up front, so that buildProgram can stay synchronous.
const everyCommand = startedHere ? [] : await registrarsFor();

/** The program with every command registered (exported for tests; main() registers only what its argv needs). */
export function buildProgram(): Command {
  return programWith(everyCommand);
}

if (startedHere) process.exitCode = await main(process.argv.slice(2));
