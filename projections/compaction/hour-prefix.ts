// Names inside an hour partition: its start time from the prefix, and the keys of its segments.

import { InvalidArgumentError } from '../../domain/errors.ts';
import { SEGMENT_OBJECT_SUFFIX, segmentKey } from '../../domain/event.ts';

const HOUR_PREFIX = /^events\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/hour=(\d{2})\/$/;

/** Epoch seconds of the start of an hour partition, e.g. `events/year=2024/month=03/day=07/hour=09/`. */
export function hourOfPrefix(hourPrefix: string): number {
  const m = HOUR_PREFIX.exec(hourPrefix);
  if (!m) throw new InvalidArgumentError('hourPrefix', `"${hourPrefix}" is not an hour partition (events/year=YYYY/month=MM/day=DD/hour=HH/)`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])) / 1000;
}

/** Key of the n-th segment of an hour: `segment.ndjson`, then `segment-2.ndjson`, … */
export function nthSegmentKey(hourPrefix: string, n: number): string {
  return n === 1 ? segmentKey(hourPrefix) : `${hourPrefix}segment-${n}${SEGMENT_OBJECT_SUFFIX}`;
}

/** Hands out the hour's next free segment keys, in order, never one already taken. */
export class SegmentKeys {
  private n = 1;
  constructor(private readonly hourPrefix: string, private readonly taken: ReadonlySet<string>) {}

  next(): string {
    while (this.taken.has(nthSegmentKey(this.hourPrefix, this.n))) this.n++;
    return nthSegmentKey(this.hourPrefix, this.n++);
  }
}
