// As fresh-lake.ts, from a copy of one scenario built per test file: building it costs seconds, a copy milliseconds.

import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { LocalEventlake } from '../../../projections/runtime.ts';
import type { LocalScenario } from '../../support/fakes/local-scenario.ts';
import { localScenarioCopies } from '../../support/local-scenario-copies.ts';

type LakeTest = (local: LocalEventlake, coordinator: RebuildCoordinator, scenario: LocalScenario) => Promise<void>;

/**
 * Returns a `withFreshLake` whose every call runs `fn` on a new copy of the same two-day data dir (built on the first
 * call), opened, with a coordinator over it; the copy is closed after.
 */
export function freshLakeCopies(): (fn: LakeTest) => Promise<void> {
  const scenarios = localScenarioCopies({ days: 2, eventsPerDay: 20 });
  return async (fn) => {
    const scenario = await scenarios();
    const local = await scenario.open();
    try {
      await fn(local, new RebuildCoordinator(local, local.projections), scenario);
    } finally {
      await local.close();
    }
  };
}
