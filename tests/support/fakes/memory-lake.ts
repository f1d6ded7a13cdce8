// In-memory ports assembled like a LocalEventlake, with helpers to ingest, dispatch, snapshot and archive in tests.

import { balancesProjection } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { accountsOf, eventId, partitionPrefix, segmentKey, serializeEvent } from '../../../domain/event.ts';
import type { StorageClass } from '../../../domain/ports/storage.ts';
import type { Projection } from '../../../domain/projection.ts';
import type { RebuildDeps } from '../../../projections/rebuild/deps.ts';
import { statementProjection } from '../../../projections/statement.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { MemoryArchiveTier } from './memory-archive-tier.ts';
import { MemoryEventIndex } from './memory-event-index.ts';
import { MemoryEventLog } from './memory-event-log.ts';
import { MemoryProjectionStore } from './memory-projection-store.ts';
import { MemorySnapshotStore } from './memory-snapshot-store.ts';

export class MemoryLake implements RebuildDeps {
  /** Wall clock, epoch ms; tests move it. */
  clock = 1_700_000_000_000;
  readonly archive: MemoryArchiveTier;
  readonly log: MemoryEventLog;
  readonly index = new MemoryEventIndex();
  readonly store = new MemoryProjectionStore();
  readonly snapshots: MemorySnapshotStore;
  readonly projections: readonly Projection[] = [balancesProjection, statementProjection];
  /** Validates replayed events, as a LocalEventlake's registry does. */
  readonly registry = SchemaRegistry.load();
  private dispatched = 0;
  private readonly positions = new Map<string, number>();
  readonly checkpoints = {
    get: async (name: string) => this.positions.get(name) ?? 0,
    set: async (name: string, position: number) => { this.positions.set(name, position); },
    compareAndSet: async (name: string, expected: number, next: number) => {
      if ((this.positions.get(name) ?? 0) !== expected) return false;
      this.positions.set(name, next);
      return true;
    },
  };
  /** Test sleeps advance the clock instead of waiting. */
  readonly sleep = async (ms: number) => { this.clock += ms; };

  constructor(restoreDelayMs = 0) {
    this.archive = new MemoryArchiveTier(() => this.clock, restoreDelayMs);
    this.log = new MemoryEventLog(this.archive);
    this.snapshots = new MemorySnapshotStore(this.store, () => this.clock);
  }

  /** Append and index (as one-event objects). */
  async ingest(events: readonly DomainEvent[]): Promise<void> {
    const results = await this.log.append(events);
    await this.index.put(events.map((e, i) => ({
      id: eventId(e), type: e.EventType, timestamp: e.EventTimeStamp, accounts: accountsOf(e),
      location: results[i]!.location, size: Buffer.byteLength(serializeEvent(e)), storageClass: 'STANDARD' as const, restore: 'NONE' as const,
    })));
  }

  /** Deliver everything indexed to the live generation of every projection. */
  async dispatch(): Promise<number> {
    const page = await this.index.afterPosition(this.dispatched, 1_000_000);
    const events = await Promise.all(page.entries.map((e) => this.log.read(e.location)));
    for (const p of this.projections) await this.store.apply(p, await this.store.liveGeneration(p.name), events);
    this.dispatched = page.next;
    return events.length;
  }

  async dispatchedPosition(): Promise<number> {
    return this.dispatched;
  }

  async snapshot(projection: string): Promise<void> {
    await this.snapshots.take(projection, await this.store.liveGeneration(projection), this.dispatched);
  }

  /** Compact the hour of `epochSeconds` into a segment and move it to `storageClass`. */
  async archiveHour(epochSeconds: number, storageClass: StorageClass): Promise<string> {
    const prefix = partitionPrefix(epochSeconds);
    const key = segmentKey(prefix);
    const entries = (await this.index.afterPosition(0, 1_000_000)).entries.filter((e) => e.location.key.startsWith(prefix) && e.location.key !== key);
    const lines = await Promise.all(entries.map(async (e) => serializeEvent(await this.log.read(e.location))));
    const { locations } = await this.log.writeSegment(key, lines);
    await this.index.relocate(entries.map((e, i) => ({ id: e.id, location: locations[i]! })));
    await this.log.remove(entries.map((e) => e.location.key));
    await this.archive.transition(key, storageClass);
    await this.index.setObjectStorage(key, storageClass, 'NONE');
    return key;
  }
}
