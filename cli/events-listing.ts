// How `eventlake events` writes a range: one read of the index, rows written as they come, and a failure part-way
// through reported as a partial listing rather than left looking like a whole one.

import { once } from 'node:events';
import { StorageError } from '../domain/errors.ts';
import { printable } from '../domain/printable.ts';
import type { EventIndex, IndexEntry, IndexRangeQuery } from '../domain/ports/event-index.ts';

const COLUMNS = ['time', 'id', 'type', 'accounts', 'tier', 'key'] as const;

/**
 * Rows the table holds back to size its columns. Why bounded: a range of any size must print in bounded memory, and
 * reading it twice (once to measure) doubled the reads and let a failure come after rows were already out. A range
 * that fits is printed exactly as printRows prints it; past it a wider cell pushes the rest of its row right, as
 * psql's FETCH_COUNT batches do.
 */
export const TABLE_LOOK_AHEAD = 1_000;

const isoTime = (e: IndexEntry) => new Date(e.timestamp * 1000).toISOString();
// An array, as GET /events answers: `--json` consumers split nothing; the table prints it comma-joined.
const row = (e: IndexEntry) => ({ time: isoTime(e), id: e.id, type: e.type, accounts: [...e.accounts], tier: e.storageClass, key: e.location.key });
// Escaped for the terminal the table is printed on: a user type's account field may hold control characters.
const cells = (e: IndexEntry): string[] => Object.values(row(e)).map((v) => printable(String(v)));

/** Write a chunk, waiting when the stream asks to (a slow pipe must not make the output pile up in memory). */
async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** What was written before the index failed: enough to say where the listing stops and how to get the rest. */
class Progress {
  printed = 0;
  last: IndexEntry | undefined;
  /** What the index threw, told apart from a failed write (a closed pipe is not a partial read). */
  readFailure: unknown;

  wrote(e: IndexEntry): void {
    this.printed++;
    this.last = e;
  }

  /** The error to report for `cause`: `cause` itself when nothing was printed (nothing looks whole), else a partial listing. */
  failure(cause: unknown): unknown {
    if (this.last === undefined) return cause;
    const why = cause instanceof Error ? cause.message : String(cause);
    const time = isoTime(this.last);
    return new StorageError(`the listing above is partial: reading the index failed after ${this.printed} event(s) were printed, ` +
      `the last ${this.last.id} at ${time} (${why}); run the same command with --since ${time} for the rest (its first rows repeat those of that second)`, { cause });
  }
}

/** The table: header and rows aligned to the widths of the first TABLE_LOOK_AHEAD rows, `(none)` for an empty range. */
async function writeTable(rows: AsyncIterator<IndexEntry>, out: NodeJS.WritableStream, progress: Progress): Promise<void> {
  const held: IndexEntry[] = [];
  let next = await rows.next();
  for (; !next.done && held.length < TABLE_LOOK_AHEAD; next = await rows.next()) held.push(next.value);
  if (held.length === 0) return write(out, '(none)\n');
  const widths: number[] = COLUMNS.map((c) => c.length);
  for (const e of held) cells(e).forEach((v, i) => { if (v.length > widths[i]!) widths[i] = v.length; });
  const line = (values: readonly string[]) => `${values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()}\n`;
  const put = async (e: IndexEntry) => {
    await write(out, line(cells(e)));
    progress.wrote(e);
  };
  await write(out, line(COLUMNS));
  for (const e of held.splice(0)) await put(e);
  for (; !next.done; next = await rows.next()) await put(next.value);
}

/**
 * Write the events of `query` as `eventlake events` prints them (printRows' NDJSON, or its aligned table), reading
 * the range once, each row written as the index hands it out (the table after its first TABLE_LOOK_AHEAD rows), so a
 * range of a million events never sits in memory. Entries indexed after the listing began are skipped: a concurrent
 * emit adds no row to it. When the index fails after rows were written, the error (StorageError, exit 1) says the
 * listing is partial, how many rows it holds, the last one and the --since that lists the rest; when it fails before
 * any, its own error is thrown and nothing was written.
 */
export async function writeEvents(index: EventIndex, query: IndexRangeQuery, json: boolean, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const upTo = await index.lastPosition();
  const progress = new Progress();
  const rows = (async function* (): AsyncGenerator<IndexEntry> {
    try {
      for await (const e of index.between(query)) if (e.position <= upTo) yield e;
    } catch (error) {
      progress.readFailure = error;
      throw error;
    }
  })();
  try {
    if (!json) return await writeTable(rows, out, progress);
    for await (const e of rows) {
      await write(out, `${JSON.stringify(row(e))}\n`);
      progress.wrote(e);
    }
  } catch (error) {
    throw error === progress.readFailure ? progress.failure(error) : error;
  } finally {
    // A failed write leaves the table's reader suspended: close the index's range read with it.
    await rows.return(undefined);
  }
}
