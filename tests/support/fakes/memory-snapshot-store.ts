// An in-memory SnapshotStore for unit tests: copies of generation states with a wall time and a high-water mark.

import type { SnapshotInfo, SnapshotStore } from '../../../domain/ports/snapshot-store.ts';
import type { ProjectionState } from '../../../domain/projection.ts';
import type { MemoryProjectionStore } from './memory-projection-store.ts';

export class MemorySnapshotStore implements SnapshotStore {
  private readonly taken: { info: SnapshotInfo; state: ProjectionState }[] = [];
  /** Ids stay unique after a removal. */
  private counter = 0;

  constructor(private readonly store: MemoryProjectionStore, private readonly clock: () => number) {}

  async take(projection: string, generation: number, highWaterMark: number): Promise<SnapshotInfo> {
    const info: SnapshotInfo = { id: `snap-${++this.counter}`, projection, generation, takenAt: this.clock(), highWaterMark };
    this.taken.push({ info, state: await this.store.readState(projection, generation) });
    return info;
  }

  async list(projection: string): Promise<SnapshotInfo[]> {
    return this.taken.filter((t) => t.info.projection === projection).map((t) => t.info);
  }

  async latestAtOrBefore(projection: string, atMs: number): Promise<SnapshotInfo | undefined> {
    return (await this.list(projection)).filter((s) => s.takenAt <= atMs).at(-1);
  }

  async restore(snapshot: SnapshotInfo, generation: number): Promise<void> {
    const t = this.taken.find((x) => x.info.id === snapshot.id);
    if (!t) throw new Error(`no snapshot ${snapshot.id}`);
    this.store.setState(snapshot.projection, generation, t.state);
  }

  async remove(snapshot: SnapshotInfo): Promise<void> {
    const at = this.taken.findIndex((x) => x.info.id === snapshot.id);
    if (at >= 0) this.taken.splice(at, 1);
  }
}
