// A run that only lists the commands (`--help`, no command, a misspelled one, `help`) registers stand-ins from
// cli/command-listing.ts instead of loading every command's module: what it prints must not change.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type CommandEntry, registrarsFor, selectionFor } from '../../cli/command-table.ts';
import { programWith } from '../../cli/cli.ts';
import { buildProgram } from '../../cli/main.ts';
import type { Command } from 'commander';
import { runCli } from '../security/cli-run.ts';

const test = suite('eventlake: top-level help without the commands\' modules');

/** A table of two commands whose modules must not be loaded; `loaded` records those that were. */
function table(): { commands: CommandEntry[]; loaded: string[] } {
  const loaded: string[] = [];
  const entry = (name: string): CommandEntry => ({
    names: [name],
    load: async () => {
      loaded.push(name);
      return (program) => { program.command(name).description('loaded'); };
    },
  });
  return { commands: [entry('balance'), entry('status')], loaded };
}

/** What `eventlake --help` prints with `program`: its help and the text added after it. */
function helpOf(program: Command): string {
  let text = '';
  program.configureOutput({ writeOut: (s) => { text += s; } }).outputHelp();
  return text;
}

test('the top-level help lists every command as the commands\' own registrations do', async () => {
  const listed = programWith(await registrarsFor(['--help']));
  assert.is(helpOf(listed), helpOf(buildProgram()));
});

test('a run that names no command, or a misspelled one, loads no command\'s module', async () => {
  for (const argv of [[], ['--help'], ['-h'], ['--data-dir', 'd', '--read-only', '--help'], ['--schemas=s'], ['balanc'], ['help'], ['help', 'balanc']]) {
    const { commands, loaded } = table();
    const registered = programWith(await registrarsFor(argv, commands)).commands.map((c) => c.description());
    assert.equal(loaded, [], argv.join(' '));
    assert.equal(registered.length, 2, argv.join(' '));
  }
});

test('help COMMAND loads that command alone, and lists the others', async () => {
  const { commands, loaded } = table();
  const program = programWith(await registrarsFor(['help', 'status'], commands));
  assert.equal(loaded, ['status']);
  assert.equal(program.commands.map((c) => c.name()), ['balance', 'status']);
});

test('arguments commander could hand to a command load them all: an option before a command word, --, help with more', () => {
  for (const argv of [['-h', 'balance'], ['--json'], ['--', 'balance'], ['help', 'status', 'x'], ['help', '--json'], ['--version']]) {
    assert.equal(selectionFor(argv, table().commands), { all: true }, argv.join(' '));
  }
});

test('a misspelled command is refused with the full listing after commander\'s suggestion, exit 2', async () => {
  const r = await runCli(['balanc']);
  assert.is(r.code, 2);
  assert.is(r.stderr, `error: unknown command 'balanc'\n(Did you mean balance?)\n\n${helpOf(buildProgram())}`);
});

test.run();
