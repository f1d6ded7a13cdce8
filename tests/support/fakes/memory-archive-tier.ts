// An in-memory ArchiveTier for unit tests: storage classes per key, restores that complete after `delayMs` of its clock.

import { RestoreRequestError } from '../../../domain/errors.ts';
import type { ArchiveTier, RestoreRequest } from '../../../domain/ports/archive-tier.ts';
import type { ObjectStorage, StorageClass } from '../../../domain/ports/storage.ts';

interface State {
  storageClass: StorageClass;
  restore: 'NONE' | 'RESTORING' | 'RESTORED';
  readyAt?: number;
}

export class MemoryArchiveTier implements ArchiveTier {
  private readonly states = new Map<string, State>();
  /** Every restore call, for assertions (keys and tier). */
  readonly requests: { keys: string[]; request: RestoreRequest }[] = [];

  constructor(private readonly clock: () => number, private readonly delayMs = 0) {}

  async storage(keys: readonly string[]): Promise<ObjectStorage[]> {
    return keys.map((key) => {
      const s = this.settled(key);
      return { key, storageClass: s.storageClass, restore: s.restore };
    });
  }

  async transition(key: string, storageClass: StorageClass): Promise<void> {
    this.states.set(key, { storageClass, restore: 'NONE' });
  }

  async restore(keys: readonly string[], request: RestoreRequest): Promise<void> {
    for (const key of keys) {
      const s = this.settled(key);
      if (s.storageClass === 'STANDARD') throw new RestoreRequestError(`${key} is not archived`);
      if (s.storageClass === 'DEEP_ARCHIVE' && request.tier === 'Expedited') throw new RestoreRequestError('no Expedited from DEEP_ARCHIVE');
    }
    this.requests.push({ keys: [...keys], request });
    for (const key of keys) {
      const s = this.settled(key);
      if (s.restore === 'NONE') this.states.set(key, { ...s, restore: 'RESTORING', readyAt: this.clock() + this.delayMs });
    }
  }

  /** True when the key's bytes can be read now. */
  readable(key: string): boolean {
    const s = this.settled(key);
    return s.storageClass === 'STANDARD' || s.restore === 'RESTORED';
  }

  classOf(key: string): StorageClass {
    return this.settled(key).storageClass;
  }

  /** Forget restored copies (as if they expired). */
  expireAll(): void {
    for (const [key, s] of this.states) if (s.storageClass !== 'STANDARD') this.states.set(key, { storageClass: s.storageClass, restore: 'NONE' });
  }

  private settled(key: string): State {
    const s = this.states.get(key) ?? { storageClass: 'STANDARD', restore: 'NONE' };
    if (s.restore === 'RESTORING' && this.clock() >= (s.readyAt ?? 0)) {
      const done: State = { storageClass: s.storageClass, restore: 'RESTORED' };
      this.states.set(key, done);
      return done;
    }
    return s;
  }
}
