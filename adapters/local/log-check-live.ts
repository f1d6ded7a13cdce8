// Appends made while `checkLog` runs: their batch objects are in neither database copy the check compares the walk
// with, so they are told apart (harmless, counted) instead of reading as unindexed lines of orphan objects.

import { batchSequenceOf } from '../../domain/batch-objects.ts';
import type { DataDirLayout } from './layout.ts';
import { journalRetention } from './log-check-journal.ts';

/**
 * Whether the object `key`, which no row of the index copy names, is a batch object of an append the catalogue copy
 * had not recorded: journaled at or past `recordedUpTo` (the copy's cursor: batch objects are named for their append's
 * journal offset, and every append commits its identities with the cursor past it) and before the journal's end as
 * read now. Why the end too: an append writes its journal lines before its objects, so an object named past the end
 * is no append's, and keeps the check's strictness (as does any object named before the mark).
 */
export function appendedSince(layout: DataDirLayout, recordedUpTo: number): (key: string) => boolean {
  let end = -1;
  return (key) => {
    const sequence = batchSequenceOf(key);
    if (sequence === undefined || sequence < recordedUpTo) return false;
    // The journal grows while the check runs: read its end again only for an object named past the last one read.
    if (sequence >= end) end = journalRetention(layout, 0).end;
    return sequence < end;
  };
}
