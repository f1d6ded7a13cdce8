// `eventlake events --since T`: events from the index by time range, type and account, written as they are read.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { assertKnownEventTypes } from '../event-type-filter.ts';
import { writeEvents } from '../events-listing.ts';
import { readingOptions, type GlobalOptions } from '../options.ts';
import { eventsRange } from '../time.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerEventsCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  program
    .command('events')
    .description('list indexed events in a time range (from the index, not a listing)')
    .requiredOption('--since <T>', 'start, ISO-8601 or epoch seconds (inclusive)')
    .option('--until <T>', 'end, ISO-8601 or epoch seconds (exclusive); default: now + 1 day')
    .option('--type <type>', 'only this EventType (repeatable)', collect)
    .option('--account <account>', 'only events touching this account (repeatable)', collect)
    .option('--json', 'one JSON object per line')
    .action(async (options: { since: string; until?: string; type?: string[]; account?: string[]; json?: boolean }, command: Command) => {
      const { from, to } = eventsRange(options.since, options.until, '--');
      const local = await open(readingOptions(command));
      try {
        await local.catchUp();
        await assertKnownEventTypes(options.type, local.registry.types().map((t) => t.type), local.index, '--type');
        await writeEvents(local.index, { from, to, ...(options.type ? { types: options.type } : {}), ...(options.account ? { accounts: options.account } : {}) }, options.json ?? false);
      } finally {
        await local.close();
      }
    });
}
