// The totals a lifecycle run reports: objects, events and bytes per storage class, of every indexed object and of
// the objects the run moved.

import type { StorageClass } from '../domain/ports/storage.ts';

/** Objects, events and bytes in one storage class. */
export interface ClassTotals {
  objects: number;
  events: number;
  bytes: number;
}

/** Indexed objects by class (`classes`), and the `moved` ones by the class they moved to (`transitioned`). */
export function lifecycleTotals(
  all: readonly { key: string; storageClass: StorageClass; events: number; bytes: number }[],
  moved: readonly { key: string; to: StorageClass }[],
): { transitioned: Record<StorageClass, ClassTotals>; classes: Record<StorageClass, ClassTotals> } {
  const movedTo = new Map(moved.map((m) => [m.key, m.to]));
  const transitioned = emptyTotals();
  const classes = emptyTotals();
  for (const o of all) {
    add(classes[o.storageClass], o);
    const to = movedTo.get(o.key);
    if (to) add(transitioned[to], o);
  }
  return { transitioned, classes };
}

function emptyTotals(): Record<StorageClass, ClassTotals> {
  return { STANDARD: { objects: 0, events: 0, bytes: 0 }, GLACIER: { objects: 0, events: 0, bytes: 0 }, DEEP_ARCHIVE: { objects: 0, events: 0, bytes: 0 } };
}

function add(t: ClassTotals, o: { events: number; bytes: number }): void {
  t.objects++;
  t.events += o.events;
  t.bytes += o.bytes;
}
