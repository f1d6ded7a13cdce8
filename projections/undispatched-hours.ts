// Which hours hold events the dispatch tail has not delivered yet: the lifecycle leaves them hot.

import { partitionPrefix } from '../domain/event.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';

/**
 * The hour prefixes (`events/year=…/hour=HH/`) of indexed events above the dispatch checkpoint. Why the lifecycle
 * asks: an event with an old EventTimeStamp (a backfill, a late arrival) lands in an hour already old enough to
 * archive, and an archived event cannot be read by the dispatch tail, which then stops there on every drain. So an
 * hour with an undispatched event stays hot until a later run. `has` first reads the events indexed since the last
 * call (another process may be appending into an old hour during the run); hours once seen undispatched stay in the
 * set for the run (conservative: they are archived by the next one).
 */
export class UndispatchedHours {
  private readonly hours = new Set<string>();
  private after: number;

  private constructor(private readonly index: EventIndex, dispatched: number) {
    this.after = dispatched;
  }

  /** The hours above `dispatched()` (the dispatch checkpoint) as of now. */
  static async open(index: EventIndex, dispatched: () => Promise<number>): Promise<UndispatchedHours> {
    const hours = new UndispatchedHours(index, await dispatched());
    await hours.refresh();
    return hours;
  }

  /** Whether the hour of `prefix` holds an event not dispatched yet, counting events indexed up to now. */
  async has(prefix: string): Promise<boolean> {
    await this.refresh();
    return this.hours.has(prefix);
  }

  /** `has` as of the last read (no I/O): for decisions a later `has` confirms before anything is archived. */
  seen(prefix: string): boolean {
    return this.hours.has(prefix);
  }

  private async refresh(): Promise<void> {
    for (let page = await this.index.afterPosition(this.after, 5_000); page.entries.length > 0; page = await this.index.afterPosition(this.after, 5_000)) {
      for (const e of page.entries) this.hours.add(partitionPrefix(e.timestamp));
      this.after = page.next;
    }
  }
}
