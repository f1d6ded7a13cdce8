// Every command of the CLI, registered without importing it: a command's module (and all it imports) is loaded only
// by a run that names that command (or `help` it), or by one whose arguments commander might hand to any command.
// A run that only lists the commands (`--help`, no command, a misspelled one) registers stand-ins (command-listing.ts).

import type { Command } from 'commander';
import { listedCommand } from './command-listing.ts';
import { open, openLocal, openQuery } from './opens.ts';

/** Adds a command (or a group with its subcommands) to the program. */
export type Registrar = (program: Command) => void;

/** The top-level command names one module registers, and how to load its registrar. */
export interface CommandEntry {
  readonly names: readonly string[];
  load(): Promise<Registrar>;
}

/** In the order `eventlake --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  { names: ['emit', 'validate'], load: async () => { const m = await import('./commands/emit.ts'); return (p) => m.registerEmitCommands(p, open); } },
  { names: ['balance'], load: async () => { const m = await import('./commands/balance.ts'); return (p) => m.registerBalanceCommand(p, open); } },
  { names: ['statement'], load: async () => { const m = await import('./commands/statement.ts'); return (p) => m.registerStatementCommand(p, open); } },
  { names: ['events'], load: async () => { const m = await import('./commands/events.ts'); return (p) => m.registerEventsCommand(p, open); } },
  { names: ['query'], load: async () => { const m = await import('./commands/query.ts'); return (p) => m.registerQueryCommand(p, openQuery); } },
  { names: ['dlq'], load: async () => { const m = await import('./commands/dlq.ts'); return (p) => m.registerDlqCommand(p, open); } },
  { names: ['run'], load: async () => { const m = await import('./commands/run.ts'); return (p) => m.registerRunCommand(p, open); } },
  { names: ['serve'], load: async () => { const m = await import('./commands/serve.ts'); return (p) => m.registerServeCommand(p, open); } },
  { names: ['snapshot'], load: async () => { const m = await import('./commands/snapshot.ts'); return (p) => m.registerSnapshotCommand(p, open); } },
  { names: ['archive'], load: async () => { const m = await import('./commands/archive.ts'); return (p) => m.registerArchiveCommand(p, open); } },
  { names: ['restore'], load: async () => { const m = await import('./commands/restore.ts'); return (p) => m.registerRestoreCommand(p, open); } },
  { names: ['rebuild'], load: async () => { const m = await import('./commands/rebuild.ts'); return (p) => m.registerRebuildCommand(p, open); } },
  { names: ['verify'], load: async () => { const m = await import('./commands/verify.ts'); return (p) => m.registerVerifyCommand(p, open); } },
  { names: ['generations'], load: async () => { const m = await import('./commands/generations.ts'); return (p) => m.registerGenerationsCommand(p, open); } },
  { names: ['check'], load: async () => { const m = await import('./commands/check.ts'); return (p) => m.registerCheckCommand(p); } },
  { names: ['status'], load: async () => { const m = await import('./commands/status.ts'); return (p) => m.registerStatusCommand(p, open); } },
  { names: ['repair'], load: async () => { const m = await import('./commands/repair.ts'); return (p) => m.registerRepairCommand(p); } },
  { names: ['schemas'], load: async () => { const m = await import('./commands/schemas.ts'); return (p) => m.registerSchemasCommand(p, m.loadSchemaRegistry); } },
  { names: ['demo'], load: async () => { const m = await import('./commands/demo.ts'); return (p) => m.registerDemoCommand(p, openLocal); } },
];

/** The program's options that take a value (`--data-dir DIR`): their value is no command name. */
const VALUED = new Set(['--data-dir', '--schemas', '--extensions', '--target', '--config']);
const FLAGS = new Set(['--read-only']);

/**
 * The command `argv` runs, when the program's own options before it leave no doubt; undefined otherwise (`--help`,
 * `--`, an option commander would refuse, no command), and then every command is registered, as commander needs them
 * all to list them or to suggest one.
 */
export function commandNamed(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return arg;
    const flag = arg.split('=')[0]!;
    if (VALUED.has(flag)) { if (flag === arg) i++; continue; }
    if (!FLAGS.has(arg)) return undefined;
  }
  return undefined;
}

/**
 * What `argv` needs registered: `run`, its command alone; `list`, stand-ins for every command (commander will only
 * list them or suggest one of their names: no command runs), with `help`'s command for real; `all`, every command.
 */
export function selectionFor(argv: readonly string[], commands: readonly CommandEntry[] = COMMANDS): { run: CommandEntry } | { list: true; help?: CommandEntry } | { all: true } {
  const name = commandNamed(argv);
  const named = (word: string | undefined) => commands.find((c) => word !== undefined && c.names.includes(word));
  if (name === undefined) return onlyProgramOptions(argv) ? { list: true } : { all: true };
  const entry = named(name);
  if (entry) return { run: entry };
  if (name !== 'help') return { list: true }; // a misspelled command: commander names it and lists the commands
  // `help` then at most one word: the command whose help it prints (a misspelled one: the program's help).
  const rest = argv.slice(argv.indexOf('help') + 1);
  if (rest.length === 0) return { list: true };
  if (rest.length > 1 || rest[0]!.startsWith('-')) return { all: true };
  const helped = named(rest[0]);
  return helped ? { list: true, help: helped } : { list: true };
}

/** Whether `argv` holds only the program's options (with their values) and --help: it runs no command. */
function onlyProgramOptions(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = arg.split('=')[0]!;
    if (VALUED.has(flag)) { if (flag === arg) i++; continue; }
    if (!FLAGS.has(arg) && arg !== '--help' && arg !== '-h') return false;
  }
  return true;
}

/** The registrars `argv` needs (selectionFor), in the help's order; every command's without `argv` (tests). */
export async function registrarsFor(argv?: readonly string[], commands: readonly CommandEntry[] = COMMANDS): Promise<Registrar[]> {
  const selection: ReturnType<typeof selectionFor> = argv ? selectionFor(argv, commands) : { all: true };
  if ('run' in selection) return [await selection.run.load()];
  if ('all' in selection) return Promise.all(commands.map((c) => c.load()));
  const stand = (c: CommandEntry): Registrar => (program) => { for (const name of c.names) program.addCommand(listedCommand(name)); };
  return Promise.all(commands.map((c) => (c === selection.help ? c.load() : stand(c))));
}
