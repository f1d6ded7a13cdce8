// `verify --against log` on a data dir opened read-only: the fold restores the archived objects it reads, which such
// a data dir refuses, so it is refused before anything is read rather than part-way through the log.

import { writeRefusal } from '../adapters/local/open-read-only.ts';
import { isReadable } from '../domain/ports/storage.ts';
import type { EventlakeRuntime } from '../projections/runtime.ts';

/**
 * Throw `runtime`'s write refusal (`DATA_DIR_NOT_WRITABLE`, naming the archived objects and the fix: verify a copy of
 * the data dir) when it was opened read-only and holds archived objects with no readable copy; nothing otherwise.
 * Why refuse rather than restore into a private temp area: locally an archived object's bytes are readable only
 * through a restore, which the port records in the data dir, and a second read path beside it would be one more place
 * for a verification to disagree with a rebuild. A copy (`cp -a`) verifies with the same code as the original.
 * Why every archived object, not only those the fold reaches: archive moves take old hours, which every fold reads.
 */
export async function refuseReadOnlyRestores(runtime: Pick<EventlakeRuntime, 'index' | 'archive'>): Promise<void> {
  if (writeRefusal(runtime, 'restoring archived objects') === undefined) return;
  const archived = (await runtime.index.objects()).filter((o) => o.storageClass !== 'STANDARD').map((o) => o.key);
  if (archived.length === 0) return;
  const unreadable = (await runtime.archive.storage(archived)).filter((o) => !isReadable(o)).map((o) => o.key);
  if (unreadable.length === 0) return;
  throw writeRefusal(runtime, `verifying against the log (it must restore ${unreadable.length} archived object(s) to read them, first: ${unreadable[0]})`);
}
