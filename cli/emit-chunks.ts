// `eventlake emit` of a long input: appended a chunk at a time, so that what one append holds in memory (the events'
// bytes, the catalogue's claims, the results) stays bounded however long the input is, and results print as they come.
//
// Why: one append of a million-line file held ≈ 3.6 GB (RSS) until it returned, and printed nothing for minutes; in
// chunks of 100,000 the same file peaked at ≈ 1.6 GB, in the same time. Validation still covers the whole input before the first
// chunk is appended, so an invalid event anywhere stores nothing, as before.

import { EventConflictError } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';
import type { EmitResult } from '../projections/eventlake.ts';
import { conflictInInput, type StoredCopies } from './emit-conflict.ts';

/** Events one append of `eventlake emit` takes at most, unless `--chunk-size` says otherwise: what POST /events takes. */
export const EMIT_CHUNK = 100_000;

/** What appending in chunks needs: the lake's append, and where a conflicting stored copy is read. */
export interface ChunkedAppend extends StoredCopies {
  readonly lake: { append(events: readonly DomainEvent[]): Promise<EmitResult[]> };
}

/**
 * `events` appended `chunkSize` at a time, in input order; `io.printed` gets each chunk's results as it is stored.
 * Returns how many results there were. A chunk that fails throws its error told in the input's terms: positions
 * numbered from the input's start, and what earlier chunks stored (`chunkError`; for another error, `io.note` is told
 * it first).
 */
export async function appendInChunks(local: ChunkedAppend, events: readonly DomainEvent[], chunkSize: number,
  io: { readonly printed: (results: readonly EmitResult[]) => void; readonly note: (text: string) => void }): Promise<number> {
  let stored = 0;
  for (let start = 0; start < events.length; start += chunkSize) {
    const chunk = events.slice(start, start + chunkSize);
    let results: EmitResult[];
    try {
      results = await local.lake.append(chunk);
    } catch (error) {
      const told = await chunkError(error, events, start, chunk.length, local);
      // A conflict told anew says what earlier chunks stored; any other error is told as it came, after this line.
      if (start > 0 && told === error) io.note(storedBeforeNote(start));
      throw told;
    }
    io.printed(results);
    stored += results.length;
  }
  return stored;
}

/**
 * The error of the chunk at `start` (of `length` events) told for the whole input. A conflict within the chunk names
 * input positions; a conflict with a stored copy names the input positions carrying it (`conflictInInput`); either
 * says which events earlier chunks stored. Any other error is returned as it is (`storedBeforeNote` tells the rest).
 */
export async function chunkError(error: unknown, events: readonly DomainEvent[], start: number, length: number, stored: StoredCopies): Promise<unknown> {
  if (!(error instanceof EventConflictError) || !error.positions) return conflictInInput(error, events, stored, start);
  if (start === 0) return error;
  const told = error.inInput(Array.from({ length }, (_, i) => start + i));
  told.message = told.message.replace('so nothing was stored', `so nothing from #${start} on was stored (events #0 to #${start - 1} ` +
    'of this input were, before it: a long input is appended a chunk at a time, see --chunk-size)');
  return told;
}

/** The line telling that earlier chunks of the input were stored before an error that does not say so itself. */
export function storedBeforeNote(start: number): string {
  return `eventlake: events #0 to #${start - 1} of this input were stored before the error below (a long input is appended ` +
    `a chunk at a time, see --chunk-size); nothing from #${start} on was, and sending the input again answers duplicate for the stored ones\n`;
}
