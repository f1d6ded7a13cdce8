// The pieces of a data dir opened read-only: a log that reads objects only, and ports whose writing methods refuse
// at once with the error that says why the data dir is not written and what to do.

import type { DomainEvent } from '../../domain/event.ts';
import type { AppendResult, EventLocation, EventLog, LocatedEvent, LogObject } from '../../domain/ports/event-log.ts';
import { listObjects, readEvent, readObjectBytes, readObjectEvents } from './fs-objects.ts';
import { dataDirLayout, type DataDirLayout } from './layout.ts';

/** Makes the error a refused write throws, naming what was refused (e.g. `log.append`). */
export type WriteRefusal = (operation: string) => Error;

/**
 * The event log of a read-only data dir: objects as they are on disk, with no journal and no recovery (events a
 * crashed writer journaled but did not materialize are not read). Writing refuses with `refusal`.
 */
export class ReadOnlyFsEventLog implements EventLog {
  readonly layout: DataDirLayout;

  constructor(dataDir: string, private readonly refusal: WriteRefusal) {
    this.layout = dataDirLayout(dataDir);
  }

  async append(_events: readonly DomainEvent[]): Promise<AppendResult[]> {
    throw this.refusal('log.append');
  }

  async read(location: EventLocation): Promise<DomainEvent> {
    return readEvent(this.layout, location);
  }

  async *readObject(key: string): AsyncIterable<LocatedEvent> {
    yield* readObjectEvents(this.layout, key);
  }

  async readObjectBytes(key: string): Promise<Uint8Array> {
    return readObjectBytes(this.layout, key);
  }

  async *list(prefix: string): AsyncIterable<LogObject> {
    yield* listObjects(this.layout, prefix);
  }

  async writeSegment(_key: string, _lines: readonly string[]): Promise<{ size: number; locations: EventLocation[] }> {
    throw this.refusal('log.writeSegment');
  }

  async remove(_keys: readonly string[]): Promise<void> {
    throw this.refusal('log.remove');
  }

  async close(): Promise<void> {
    // Nothing held open: every read opens and closes its file.
  }
}

/** The writing methods of each port, refused on a read-only data dir. */
export const WRITING_METHODS = {
  index: ['put', 'relocate', 'setObjectStorage'],
  store: ['apply', 'createGeneration', 'promote', 'dropGeneration', 'setCheckpoint'],
  snapshots: ['take', 'restore', 'remove'],
  archive: ['transition', 'restore'],
  checkpoints: ['set', 'compareAndSet'],
  deadLetters: ['add', 'remove'],
  lake: ['emit', 'append'],
} as const;

/**
 * What the ports a verification reads snapshots back through (read-only-verification.ts) still refuse: every write
 * that would outlive the in-memory copy, or make a read-only data dir's projections answer what was never folded there.
 */
export const SCRATCH_REFUSED = {
  store: ['apply', 'promote'],
  snapshots: ['take', 'remove'],
} as const;

/**
 * `port` whose `methods` refuse with `refusal` (rejected promises: every one of them is async), the others called on
 * the port itself. Why refuse and not let them through: the databases are private copies in memory, so a write would
 * answer as if it had been made and be lost at close; files (snapshots, archive moves) would change a backup.
 */
export function refuseWrites<T extends object>(port: T, name: string, methods: readonly string[], refusal: WriteRefusal): T {
  return new Proxy(port, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || prop === 'constructor') return value;
      if (typeof prop === 'string' && methods.includes(prop)) return () => Promise.reject(refusal(`${name}.${prop}`));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
