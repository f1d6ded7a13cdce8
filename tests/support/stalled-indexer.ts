// A data dir whose indexer stalled: events journaled by a log that no indexer follows, into small segments, so the
// segments past the indexer's cursor in index.db pile up as they do when nothing indexes for a while.

import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { variant } from './samples.ts';

const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;

/**
 * Append `appends` batches of three events to the data dir at `dir` (closed), each into a segment of its own, with no
 * indexer. Returns the journal's end before the first append and after each one.
 */
export async function appendPastIndexer(dir: string, appends: number): Promise<number[]> {
  // Smaller than one append: every append starts a new segment.
  const log = await FsEventLog.open(dir, { checkpointEvery: 0, journalSegmentBytes: 1_000 });
  try {
    const ends = [await log.journalEnd()];
    for (let i = 0; i < appends; i++) {
      await log.append([0, 1, 2].map((n) => depositNo(i * 3 + n)));
      ends.push(await log.journalEnd());
    }
    return ends;
  } finally {
    await log.close();
  }
}
