// A tiny data dir for compaction tests: one hour that ended a day before NOW and one that ended 1.5 h before it.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { partitionPrefix } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';
import { tempDir } from '../../support/tmp.ts';

export const DAY_AGO = Date.UTC(2024, 2, 7, 8) / 1000; // ends 2024-03-07T09:00Z: 24.5 h before NOW
export const RECENT = Date.UTC(2024, 2, 8, 7) / 1000; // ends 2024-03-08T08:00Z: 1.5 h before NOW
/** The wall clock the tests open the copies with, epoch ms. */
export const NOW = Date.UTC(2024, 2, 8, 9, 30);

/** Copies of a data dir with 3 events in the hour DAY_AGO and 2 in RECENT, each emitted alone (one object per append). */
export const twoHours = fixtureCopies(async () => {
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir });
  try {
    const at = (start: number, n: number, seed: number) => generateEvents({ accounts: 3, days: 1 / 24, eventsPerDay: 24 * 20, start, seed })
      .filter((e) => e.EventTimeStamp < start + 3600).slice(0, n);
    for (const e of [...at(DAY_AGO, 3, 1), ...at(RECENT, 2, 2)]) await local.lake.emit(e);
  } finally {
    await local.close();
  }
  return dataDir;
});

/** The files of an hour's folder, sorted. */
export const filesOf = (dataDir: string, hour: number): string[] => readdirSync(join(dataDir, partitionPrefix(hour))).sort();
