// How `eventlake --help` lists each top-level command, kept here so that the listing (and a misspelled command's
// error, which prints it) needs no command's module: loading them all cost every top-level help ~70 more modules.
// tests/cli/help-listing.test.ts fails when a line here no longer reads as the command's own registration.

import { Command, Option } from 'commander';

/** Each command's term (`name [options] <args>`, as commander's help prints it) and its description. */
const LISTING: readonly (readonly [term: string, description: string])[] = [
  ['emit [options] [file]', 'validate events (a JSON object, a JSON array or NDJSON) and append them to the log; nothing is written if any is invalid'],
  ['validate [options] [file]', 'validate events without writing anything'],
  ['balance [options] [account]', 'balance of one account, or of every account (two-decimal strings)'],
  ['statement [options] <account>', "one account's statement: its lines in event-time order, signed amounts and the balance after each"],
  ['events [options]', 'list indexed events in a time range (from the index, not a listing)'],
  ['query [options] [sql]', 'SQL over the event log (table "events"), events of a time range, or a named query (events_to_replay, counts_per_type_per_day, account_history, reconciliation_totals)'],
  ['dlq', 'dead letters: events a projection failed to apply after every retry'],
  ['run [options]', 'tail the log and deliver new events to the projections until interrupted (Ctrl-C)'],
  ['serve [options]', 'HTTP ingest API on 127.0.0.1: POST /events, GET /events, GET /balances[/ACCOUNT], GET /statement/ACCOUNT, GET /health'],
  ['snapshot', 'snapshots of projections: consistent copies to rebuild from'],
  ['archive', 'archive tiers: compact old hours and move them to Glacier / Deep Archive'],
  ['restore', 'restore archived objects (Glacier / Deep Archive) so their events can be read'],
  ['rebuild [options]', 'rebuild a projection from a snapshot and the log (hot and archived), verify it, then promote it'],
  ['verify [options]', 'compare a projection with a reference account by account; exit 1 and print the differences on a mismatch'],
  ['generations', 'projection generations beside the live one: rebuilds kept unpromoted, unfinished, retired; promote a kept one, or drop one to free its storage'],
  ['check [options]', 'read-only integrity check of the local data dir (objects, index and identity catalogue agree), or with --target aws of the S3 log against the DynamoDB index; exit 0 whole, 1 not whole, 2 could not check'],
  ['status [options]', 'events, dispatch lag (or the event blocking dispatch, or the archived object it waits on), dead letters, projections (generations beside the live one, newest snapshots, the rules that built the live one, and events a process with other rules folded into it), storage classes; changes nothing'],
  ['repair', 'repair a part of the local data dir that can be rebuilt from another'],
  ['schemas', 'event types: list them, show one, lint a folder of schemas'],
  ['demo [options]', 'the whole story on generated data: emit, dispatch, snapshot, archive, lose, plan, rehydrate, replay, verify, promote'],
];

/**
 * A stand-in for the command `name`: it lists as the command does (term and description), and nothing else. Only
 * ever registered where no command is run (cli/command-table.ts), so it has no action and no real options.
 */
export function listedCommand(name: string): Command {
  const line = LISTING.find(([term]) => term.split(' ')[0] === name);
  if (line === undefined) throw new Error(`cli/command-listing.ts has no line for the command ${name}`);
  const [term, description] = line;
  const command = new Command(name).description(description);
  for (const word of term.split(' ').slice(1)) {
    // Commander's listing writes "[options]" for a command with an option other than --help: a hidden one does.
    if (word === '[options]') command.addOption(new Option('--listed-only').hideHelp());
    else command.argument(word);
  }
  return command;
}
