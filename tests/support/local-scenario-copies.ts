// Copies of one local scenario per test file: building it (emitting day by day, snapshots, a lifecycle run) costs
// seconds, copying its folder milliseconds, and each test still gets a data dir of its own to change.

import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildLocalScenario, LOCAL_START_S, type LocalScenario } from './fakes/local-scenario.ts';
import { fixtureCopiesOf } from './fixture-copies.ts';

const DAY_S = 86_400;

/**
 * Returns a function giving a fresh copy of `buildLocalScenario(options)`, built once on the first call: the same
 * events and `endOfDay`, with `dataDir` the copy and `open` opening the copy at the clock the original opens at (the
 * end of the data).
 */
export function localScenarioCopies(options: { days?: number; eventsPerDay?: number; seed?: number } = {}): () => Promise<LocalScenario> {
  const copies = fixtureCopiesOf(async () => {
    const scenario = await buildLocalScenario(options);
    return { ...scenario, dir: scenario.dataDir };
  });
  const endOfData = (LOCAL_START_S + (options.days ?? 6) * DAY_S) * 1000;
  return async () => {
    const { dir, events, endOfDay } = await copies();
    return { dataDir: dir, events, endOfDay, open: () => openLocalEventlake({ dataDir: dir, now: () => endOfData, restoreDelayMs: 0 }) };
  };
}
