// Identities seen more than once in a walk of the index, without keeping every identity: a 52-bit digest of each is
// kept instead (about 8 bytes per event rather than the id's ~60), and the few that repeat are confirmed by a second walk.

import { createHash } from 'node:crypto';
import type { EventIndex } from '../domain/ports/event-index.ts';

function digest(id: string): number {
  // 52 bits fit a double exactly; among a million identities a false repeat has odds of about 1 in 10,000, and the
  // confirming walk drops it.
  const h = createHash('sha1').update(id).digest();
  return h.readUIntBE(0, 6) * 16 + (h[6]! >> 4);
}

/** Collects candidate repeats while the index is walked, then confirms them. */
export class RepeatedIdentities {
  private readonly seen = new Set<number>();
  private readonly candidates = new Set<string>();

  see(id: string): void {
    const d = digest(id);
    if (this.seen.has(d)) this.candidates.add(id);
    else this.seen.add(d);
  }

  /** The candidates that really are in more than one entry: a second walk, only when there is a candidate. */
  async confirm(index: EventIndex, pageSize: number): Promise<string[]> {
    this.seen.clear();
    if (this.candidates.size === 0) return [];
    const counts = new Map<string, number>();
    for (let after = 0; ;) {
      const page = await index.afterPosition(after, pageSize);
      if (page.entries.length === 0) break;
      for (const { id } of page.entries) if (this.candidates.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
      after = page.next;
    }
    return [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  }
}
