// Data dirs holding given events, emitted as an app would (stored, indexed, dispatched) and not compacted, for tests
// of the runs that compact and archive them.

import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { tempDir } from './tmp.ts';

/** Run `fn` with a local eventlake opened on `dataDir`, and close it afterwards. */
export async function withDataDir<T>(dataDir: string, fn: (local: LocalEventlake) => Promise<T>): Promise<T> {
  const local = await openLocalEventlake({ dataDir });
  try {
    return await fn(local);
  } finally {
    await local.close();
  }
}

/** A new data dir holding `events`, closed when returned. */
export async function emittedDataDir(events: readonly DomainEvent[]): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  await withDataDir(dataDir, (local) => local.lake.emit(events));
  return dataDir;
}
