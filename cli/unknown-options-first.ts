// Usage errors in the order a user can act on: a misspelled option is named before the required option it was meant to be.

import type { Command, Option } from 'commander';

/** The two commander checks reordered here; methods of every Command, though not in commander's typings. */
interface CommanderChecks {
  missingMandatoryOptionValue(option: Option): void;
  unknownOption(flag: string): void;
}

/**
 * Make `program` and every command under it report an unknown option (with commander's closest-option suggestion)
 * before a missing required option. Why: commander checks required options first, so `generations promote 2
 * --projecton balances` said "required option '--projection <name>' not specified", sending the user to add what
 * they had typed, wrongly spelt. `--help` still wins over both, as commander already orders it.
 */
export function reportUnknownOptionsFirst(program: Command): void {
  // The command parsed last is the one whose checks run (a parent parses before it dispatches), and the first of
  // what its parse left unknown is the first unknown option (commander's contract for `unknown`).
  const last: { command?: Command; unknown: readonly string[] } = { unknown: [] };
  const patch = (command: Command): void => {
    const checks = command as unknown as CommanderChecks;
    // A commander without these internals keeps its own order (tests/cli/misspelled-option.test.ts then fails): a
    // worse message is better than a CLI that no command can start.
    if (typeof checks.missingMandatoryOptionValue !== 'function' || typeof checks.unknownOption !== 'function') return;
    const parseOptions = command.parseOptions.bind(command);
    command.parseOptions = (argv) => {
      const parsed = parseOptions(argv);
      Object.assign(last, { command, unknown: parsed.unknown });
      return parsed;
    };
    const missing = checks.missingMandatoryOptionValue.bind(command);
    checks.missingMandatoryOptionValue = (option) => {
      const [flag] = last.unknown;
      if (flag !== undefined && last.command) (last.command as unknown as CommanderChecks).unknownOption(flag);
      missing(option);
    };
    for (const sub of command.commands) patch(sub);
  };
  patch(program);
}
