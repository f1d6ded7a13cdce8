// A misspelled option is named as unknown, with the closest known option, even where the option it was meant to be
// is required: commander checked required options first and said the (misspelled) option was missing.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Command } from 'commander';
import { buildProgram } from '../../cli/main.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake: a misspelled option (CLI)');

/** Every command's words (`['generations', 'promote']`) with its required long options, found by walking the program. */
function requiredOptions(command: Command, path: string[] = []): { path: string[]; flag: string }[] {
  const own = command.options.filter((o) => o.mandatory && o.long).map((o) => ({ path, flag: o.long! }));
  return [...own, ...command.commands.flatMap((c) => requiredOptions(c, [...path, c.name()]))];
}

/** `--projection` as a user mistypes it: one letter before the last dropped (`--projecton`). */
const misspell = (flag: string): string => flag.slice(0, -2) + flag.slice(-1);

test('the walk finds the required options (generations promote and drop, rebuild, events)', () => {
  const found = requiredOptions(buildProgram()).map((r) => `${r.path.join(' ')} ${r.flag}`);
  for (const expected of ['generations promote --projection', 'generations drop --projection', 'rebuild --projection', 'rebuild --from', 'events --since']) {
    assert.ok(found.includes(expected), `${expected} in ${found.join(', ')}`);
  }
});

test('every required option, misspelled, is reported as an unknown option with the right one suggested, not as missing', async () => {
  const dataDir = tempDir();
  for (const { path, flag } of requiredOptions(buildProgram())) {
    const args = [...path, ...(path[0] === 'generations' ? ['2'] : []), misspell(flag), 'x'];
    const r = await runCli(['--data-dir', dataDir, ...args]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, `error: unknown option '${misspell(flag)}'\n(Did you mean ${flag}?)`, args.join(' '));
    assert.not.match(r.stderr, 'not specified', args.join(' '));
  }
});

test('a misspelled option beside a correctly given required one is still named as unknown', async () => {
  const r = await runCli(['--data-dir', tempDir(), 'events', '--since', '0', '--untl', '5']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, "error: unknown option '--untl'\n(Did you mean --until?)");
});

test('a required option left out, with nothing misspelled, is still reported as missing', async () => {
  const r = await runCli(['--data-dir', tempDir(), 'generations', 'promote', '2']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, "error: required option '--projection <name>' not specified");
});

test('--help beside a misspelled option still shows the help', async () => {
  const r = await runCli(['generations', 'promote', '--projecton', 'balances', '--help']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'Usage: eventlake generations promote');
});

test.run();
