// `eventlake events --since T`: events from the index by time range, type and account.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { readingOptions, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';
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
        const rows: Record<string, unknown>[] = [];
        for await (const e of local.index.between({ from, to, ...(options.type ? { types: options.type } : {}), ...(options.account ? { accounts: options.account } : {}) })) {
          // An array, as GET /events answers: `--json` consumers split nothing; the table prints it comma-joined.
          rows.push({ time: new Date(e.timestamp * 1000).toISOString(), id: e.id, type: e.type, accounts: [...e.accounts], tier: e.storageClass, key: e.location.key });
        }
        printRows(rows, options.json ?? false);
      } finally {
        await local.close();
      }
    });
}
