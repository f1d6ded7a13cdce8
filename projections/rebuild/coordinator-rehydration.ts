// How the rebuild coordinator's phases make archived objects readable: the rehydration options a call's options
// give, and readers that rehydrate an object found archived.

import type { RestoreTier } from '../../domain/ports/storage.ts';
import type { RebuildDeps } from './deps.ts';
import type { ProgressListener } from './progress.ts';
import type { OnArchived } from './read-events.ts';
import { EventReader } from './read-events.ts';
import type { RebuildOptions } from './rebuild-options.ts';
import type { RehydrateOptions, RehydrateReport } from './rehydrate.ts';
import { rehydrate } from './rehydrate.ts';

/** What rehydration needs: the archive, and how to wait between restore polls (a rebuild's sleeps renew its lease). */
export type Waits = Pick<RebuildDeps, 'archive' | 'sleep'>;

/** What a coordinator call says of restores; restores are Standard, for a day, unless it says otherwise. */
export interface RestoreCallOptions {
  readonly restoreTier?: RestoreTier;
  readonly restoreDays?: number;
  readonly onProgress?: ProgressListener;
  readonly poll?: RebuildOptions['poll'];
}

export function rehydrateOptions(options: RestoreCallOptions): RehydrateOptions {
  return { tier: options.restoreTier ?? 'Standard', days: options.restoreDays ?? 1, ...options.poll, ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
}

/** `restored`: told what each rehydration of an object found archived did. */
export function rehydratingReader(deps: RebuildDeps, options: RehydrateOptions, waits: Waits = deps, restored?: (report: RehydrateReport) => void): EventReader {
  return new EventReader(deps, onArchived(options, waits, restored));
}

/** What a reader does on an object found archived: rehydrate it, quietly. */
export function onArchived(options: RehydrateOptions, waits: Waits, restored?: (report: RehydrateReport) => void): OnArchived {
  const { onProgress: _quiet, ...quiet } = options;
  return async (key) => { const report = await rehydrate(waits, [key], quiet); restored?.(report); };
}
