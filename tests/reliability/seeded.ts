// A data dir that already holds the workload (emitted, indexed, dispatched), copied fresh for each crash test.

import { cpSync } from 'node:fs';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { batchesOf, workloadEvents } from './children/workload.ts';
import { scratchDir } from './scratch-dir.ts';

let template: Promise<string> | undefined;

async function build(): Promise<string> {
  const dataDir = scratchDir('eventlake-seed-');
  const local = await openLocalEventlake({ dataDir });
  try {
    for (const batch of batchesOf(workloadEvents(), 10)) await local.lake.emit(batch);
  } finally {
    await local.close();
  }
  return dataDir;
}

/** A new data dir holding the workload. The first call builds a template; later calls copy it. */
export async function seededDataDir(): Promise<string> {
  template ??= build();
  const dataDir = scratchDir('eventlake-seeded-');
  cpSync(await template, dataDir, { recursive: true });
  return dataDir;
}
