// An in-memory ProjectionStore for unit tests, built on the reference semantics (domain/projection.ts applyToState).

import type { DomainEvent, JsonObject } from '../../../domain/event.ts';
import type { ApplyOptions, ApplyOutcome, ProjectionStore, StoredRow } from '../../../domain/ports/projection-store.ts';
import type { Projection, ProjectionState } from '../../../domain/projection.ts';
import { applyToState, emptyState } from '../../../domain/projection.ts';

interface Generation {
  state: ProjectionState;
  replayed: Set<string>;
  checkpoint?: JsonObject;
}

export function copyState(s: ProjectionState): ProjectionState {
  return { counters: new Map(s.counters), rows: new Map(s.rows), applied: new Map(s.applied) };
}

export class MemoryProjectionStore implements ProjectionStore {
  private readonly generations = new Map<string, Generation>();
  private readonly live = new Map<string, number>();
  private readonly highest = new Map<string, number>();
  /** Calls of apply, for assertions. */
  applyCalls = 0;

  async apply(projection: Projection, generation: number, events: readonly DomainEvent[], options: ApplyOptions = {}): Promise<ApplyOutcome[]> {
    this.applyCalls++;
    const g = this.gen(projection.name, generation);
    return events.map((e) => {
      const status = applyToState(g.state, projection, e);
      const id = `${e.EventType}_${e.RequestId}`;
      if (status === 'applied' && options.replay) g.replayed.add(id);
      return { id, status };
    });
  }

  async counter(name: string, generation: number, key: string): Promise<bigint | undefined> {
    return this.gen(name, generation).state.counters.get(key);
  }

  async counters(name: string, generation: number): Promise<Map<string, bigint>> {
    return new Map(this.gen(name, generation).state.counters);
  }

  async rows(name: string, generation: number, partition: string): Promise<StoredRow[]> {
    return [...this.gen(name, generation).state.rows].filter(([, r]) => r.partition === partition)
      .map(([key, r]) => ({ key, partition: r.partition, value: r.value })).sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async readState(name: string, generation: number): Promise<ProjectionState> {
    return copyState(this.gen(name, generation).state);
  }

  async appliedRecord(name: string, generation: number, id: string): Promise<{ replay: boolean } | undefined> {
    const g = this.gen(name, generation);
    return g.state.applied.has(id) ? { replay: g.replayed.has(id) } : undefined;
  }

  async liveGeneration(name: string): Promise<number> {
    return this.live.get(name) ?? 1;
  }

  async createGeneration(name: string): Promise<number> {
    const next = Math.max(this.highest.get(name) ?? 1, await this.liveGeneration(name)) + 1;
    this.highest.set(name, next);
    this.gen(name, next);
    return next;
  }

  async promote(name: string, generation: number): Promise<void> {
    this.live.set(name, generation);
  }

  async dropGeneration(name: string, generation: number): Promise<void> {
    this.generations.delete(`${name}/${generation}`);
  }

  async getCheckpoint(name: string, generation: number): Promise<JsonObject | undefined> {
    return this.gen(name, generation).checkpoint;
  }

  async setCheckpoint(name: string, generation: number, checkpoint: JsonObject): Promise<void> {
    this.gen(name, generation).checkpoint = structuredClone(checkpoint);
  }

  /** Test hook: replace a generation's state wholesale (snapshot restores, corruption). */
  setState(name: string, generation: number, state: ProjectionState): void {
    this.gen(name, generation).state = copyState(state);
  }

  private gen(name: string, generation: number): Generation {
    const id = `${name}/${generation}`;
    let g = this.generations.get(id);
    if (!g) {
      g = { state: emptyState(), replayed: new Set() };
      this.generations.set(id, g);
    }
    return g;
  }
}
