// A delivery storm: every event delivered several times, shuffled, cut into batches — reproducible from a seed.

import type { DomainEvent } from '../../domain/event.ts';
import { seededRandom } from '../../domain/generator.ts';

/** Every event 1..maxCopies times, shuffled (Fisher-Yates), cut into batches of 1..maxBatch. */
export function storm(events: readonly DomainEvent[], seed: number, maxCopies: number, maxBatch: number): DomainEvent[][] {
  const random = seededRandom(seed);
  const copies = events.flatMap((e) => Array.from({ length: 1 + Math.floor(random() * maxCopies) }, () => e));
  for (let i = copies.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copies[i], copies[j]] = [copies[j]!, copies[i]!];
  }
  const batches: DomainEvent[][] = [];
  for (let i = 0; i < copies.length; ) {
    const n = 1 + Math.floor(random() * maxBatch);
    batches.push(copies.slice(i, i + n));
    i += n;
  }
  return batches;
}
