// A run registers only the command its arguments name (cli/command-table.ts), so a command's start loads its own
// module and not the others': its help, its usage errors and the program's own must read as with every command loaded.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { COMMANDS, commandNamed, registrarsFor } from '../../cli/command-table.ts';
import { programWith } from '../../cli/cli.ts';
import { buildProgram } from '../../cli/main.ts';
import { runCli } from '../security/cli-run.ts';

const test = suite('eventlake: commands registered lazily');

/** Every command under `command`, with its words (`['dlq', 'list']`). */
function commandsOf(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands.flatMap((c) => [{ path: [...path, c.name()], command: c }, ...commandsOf(c, [...path, c.name()])]);
}

test('the command a run names is found after the program options that take a value, in either spelling', () => {
  assert.is(commandNamed(['balance', 'ACC-1']), 'balance');
  assert.is(commandNamed(['--data-dir', 'status', '--read-only', '--schemas=s', '--target', 'local', 'balance']), 'balance');
});

test('no command is named when an option before it could be anything: --help, --, an option commander refuses', () => {
  for (const argv of [[], ['--help'], ['-h', 'balance'], ['--', 'balance'], ['--json', 'balance'], ['--data-dir']]) assert.is(commandNamed(argv), undefined, argv.join(' '));
});

test('each entry of the table registers exactly the command names it is listed under', async () => {
  for (const entry of COMMANDS) {
    const program = new Command('eventlake');
    (await entry.load())(program);
    assert.equal(program.commands.map((c) => c.name()), [...entry.names]);
  }
});

test('every command\'s help reads the same when only that command is registered', async () => {
  const full = buildProgram();
  for (const { path } of commandsOf(full)) {
    const lazy = programWith(await registrarsFor(path));
    const find = (program: Command) => path.reduce<Command>((c, word) => c.commands.find((s) => s.name() === word)!, program);
    assert.is(find(lazy).helpInformation(), find(full).helpInformation(), path.join(' '));
  }
});

test('a usage error of a lazily registered command is reported as before: exit 2 and commander\'s suggestion', async () => {
  const r = await runCli(['balance', '--jsn']);
  assert.is(r.code, 2);
  assert.match(r.stderr, "error: unknown option '--jsn'\n(Did you mean --json?)");
});

test('a misspelled command is still matched against every command', async () => {
  const r = await runCli(['--read-only', 'balanc']);
  assert.is(r.code, 2);
  assert.match(r.stderr, "error: unknown command 'balanc'\n(Did you mean balance?)");
});

test.run();
