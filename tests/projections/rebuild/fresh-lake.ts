// A fresh small local data dir (SQLite stores, archived days included) per test, for tests that change which
// generations of a projection exist.

import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { LocalEventlake } from '../../../projections/runtime.ts';
import { buildLocalScenario, type LocalScenario } from '../../support/fakes/local-scenario.ts';

/** Runs `fn` on a new two-day data dir, opened, with a coordinator over it; closes it after. */
export async function withFreshLake(fn: (local: LocalEventlake, coordinator: RebuildCoordinator, scenario: LocalScenario) => Promise<void>): Promise<void> {
  const scenario = await buildLocalScenario({ days: 2, eventsPerDay: 20 });
  const local = await scenario.open();
  try {
    await fn(local, new RebuildCoordinator(local, local.projections), scenario);
  } finally {
    await local.close();
  }
}
