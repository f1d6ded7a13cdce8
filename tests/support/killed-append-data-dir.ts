// A data dir an emit was killed in: events indexed, then an append SIGKILLed right after its journal fsync (before its
// catalogue commit, objects and indexing), as the log's own crash test kills it. Its events are durable, not indexed.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { startChild } from '../adapters/local/fixtures/children.ts';
import { variant } from './samples.ts';
import { tempDir } from './tmp.ts';

// Numbered from 1000: tests add appendPastIndexer's deposits (numbered from 0) as other events.
const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(1000 + n).padStart(12, '0')}` });

/** Where the data dir is, how many events are indexed in it and how many the killed append left in its journal only. */
export interface KilledAppend {
  readonly dir: string;
  readonly indexed: number;
  readonly notIndexed: number;
}

/** Emits `indexed` deposits through the runtime, then kills a child appending `notIndexed` more after its journal fsync. */
export async function killedAppendDataDir(indexed = 3, notIndexed = 2): Promise<KilledAppend> {
  const root = tempDir();
  const dir = join(root, 'data');
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await local.lake.emit(Array.from({ length: indexed }, (_, i) => depositNo(i)));
  } finally {
    await local.close();
  }
  const file = join(root, 'events.json');
  writeFileSync(file, JSON.stringify(Array.from({ length: notIndexed }, (_, i) => depositNo(indexed + i))));
  const child = startChild('append-killed-after-journal.ts', [dir, file]);
  const out = await child.done;
  if (child.process.signalCode !== 'SIGKILL' || out.includes('not killed')) throw new Error(`the appending child was not killed: ${out}`);
  return { dir, indexed, notIndexed };
}
