// An in-memory CheckpointStore, with the positions it holds for tests to read and set directly.

import type { CheckpointStore } from '../../../domain/ports/checkpoint-store.ts';

/** A correct CheckpointStore in memory (compare-and-set included, as the archive and rebuild leases need). */
export function memoryCheckpoints(): { checkpoints: CheckpointStore; positions: Map<string, number> } {
  const positions = new Map<string, number>();
  const checkpoints: CheckpointStore = {
    get: async (name) => positions.get(name) ?? 0,
    set: async (name, position) => { positions.set(name, position); },
    compareAndSet: async (name, expected, next) => {
      if ((positions.get(name) ?? 0) !== expected) return false;
      positions.set(name, next);
      return true;
    },
  };
  return { checkpoints, positions };
}
