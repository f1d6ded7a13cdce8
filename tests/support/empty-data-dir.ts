// A data dir with no event in it yet, for CLI tests of read commands: they refuse a path that is no data dir.

import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { tempDir } from './tmp.ts';

/** A new data dir, opened once (what a first emit makes before its events) and closed. */
export async function emptyDataDir(): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  await (await openLocalEventlake({ dataDir })).close();
  return dataDir;
}
