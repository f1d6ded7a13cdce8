// What the lease takers' tests share: their wall clock and lease name, the "held" error they give a lease, and a
// CheckpointStore on which two takers read before either writes (the race of two runs started at once).

import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';

/** The wall clock the takers see. */
export const NOW = Date.parse('2026-01-01T00:00:00Z');
export const NAME = 'rebuild:lease:balances';

/** The lease's "held" error in these tests: when the holder's lease expires. */
export class Held extends Error {
  constructor(readonly expiresAt: number) {
    super(`held until ${expiresAt}`);
  }
}

/** `store` whose first two reads answer only once both were made: both takers read the lease free. */
export function bothReadFirst(store: CheckpointStore): CheckpointStore {
  let waiting: (() => void) | undefined;
  let reads = 0;
  const get: CheckpointStore['get'] = async (name) => {
    if (++reads <= 2) {
      if (waiting) waiting();
      else await new Promise<void>((resolve) => { waiting = resolve; });
    }
    return store.get(name);
  };
  return { ...store, get };
}
