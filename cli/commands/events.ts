// `eventlake events --since T`: events from the index by time range, type and account, written as they are read.

import { once } from 'node:events';
import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import type { EventIndex, IndexEntry, IndexRangeQuery } from '../../domain/ports/event-index.ts';
import { readingOptions, type GlobalOptions } from '../options.ts';
import { eventsRange } from '../time.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

const COLUMNS = ['time', 'id', 'type', 'accounts', 'tier', 'key'] as const;

// An array, as GET /events answers: `--json` consumers split nothing; the table prints it comma-joined.
const row = (e: IndexEntry) => ({ time: new Date(e.timestamp * 1000).toISOString(), id: e.id, type: e.type, accounts: [...e.accounts], tier: e.storageClass, key: e.location.key });
const cells = (e: IndexEntry): string[] => Object.values(row(e)).map(String);

/** Write a chunk, waiting when the stream asks to (a slow pipe must not make the output pile up in memory). */
async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/**
 * Write the events of `query` as `eventlake events` prints them (printRows' NDJSON, or its aligned table), each row
 * as the index reads it, so a range of a million events never sits in memory. The table's column widths come from a
 * first pass over the range, which holds only the widths; both passes skip entries indexed after the first began,
 * so a concurrent emit can neither add a row the widths did not see nor one the first pass did not count.
 */
export async function writeEvents(index: EventIndex, query: IndexRangeQuery, json: boolean, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const upTo = await index.lastPosition();
  const rows = async function* (): AsyncGenerator<IndexEntry> {
    for await (const e of index.between(query)) if (e.position <= upTo) yield e;
  };
  if (json) {
    for await (const e of rows()) await write(out, `${JSON.stringify(row(e))}\n`);
    return;
  }
  const widths: number[] = COLUMNS.map((c) => c.length);
  let count = 0;
  for await (const e of rows()) {
    count++;
    cells(e).forEach((v, i) => { if (v.length > widths[i]!) widths[i] = v.length; });
  }
  if (count === 0) return write(out, '(none)\n');
  const line = (values: readonly string[]) => `${values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()}\n`;
  await write(out, line(COLUMNS));
  for await (const e of rows()) await write(out, line(cells(e)));
}

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
        await writeEvents(local.index, { from, to, ...(options.type ? { types: options.type } : {}), ...(options.account ? { accounts: options.account } : {}) }, options.json ?? false);
      } finally {
        await local.close();
      }
    });
}
