// An EventIndex that calls back at every entry its range reads hand out: what a test needs to see how many entries a
// reader pulled, or what it had written by the time it pulled the next.

import type { EventIndex, IndexEntry, IndexRangeQuery } from '../../domain/ports/event-index.ts';

/** `index`, with `onEntry(entry, query)` called as each entry of `between` is handed to the reader. */
export function observedIndex(index: EventIndex, onEntry: (entry: IndexEntry, query: IndexRangeQuery) => void | Promise<void>): EventIndex {
  return new Proxy(index, {
    get(target, name) {
      if (name === 'between') {
        return async function* (query: IndexRangeQuery): AsyncGenerator<IndexEntry> {
          for await (const entry of target.between(query)) {
            await onEntry(entry, query);
            yield entry;
          }
        };
      }
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
