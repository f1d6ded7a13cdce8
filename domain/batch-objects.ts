// Names of batch objects: the write-once NDJSON objects the local log stores one append's events of one hour in.

import { SEGMENT_OBJECT_SUFFIX } from './event.ts';

const BATCH_NAME = /\/batch-(\d{1,16})\.ndjson$/;

/**
 * Key of the batch object holding one append's events of one hour partition. `sequence` is unique per append (the
 * local log uses its journal offset), so two appends never share an object and each object is written once.
 *
 * @example batchObjectKey('events/year=2024/month=03/day=07/hour=09/', 4096) // '…/hour=09/batch-0000000004096.ndjson'
 */
export function batchObjectKey(hourPrefix: string, sequence: number): string {
  return `${hourPrefix}batch-${String(sequence).padStart(13, '0')}${SEGMENT_OBJECT_SUFFIX}`;
}

/** True for keys `batchObjectKey` makes: objects compaction merges into hour segments, like one-event objects. */
export function isBatchObjectKey(key: string): boolean {
  return BATCH_NAME.test(key);
}

/** The `sequence` a `batchObjectKey` was made with, or undefined for any other key. */
export function batchSequenceOf(key: string): number | undefined {
  const match = BATCH_NAME.exec(key);
  return match ? Number(match[1]) : undefined;
}
