// A fresh local eventlake in a temp folder for one test, closed whatever the test does.

import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { tempDir } from './tmp.ts';

/** Run `fn` with a local eventlake opened on a new temp data dir, and close it afterwards. */
export async function withLake(fn: (local: LocalEventlake) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    await fn(local);
  } finally {
    await local.close();
  }
}
