// What a rebuild takes (RebuildOptions) and what it reports (RebuildReport), apart from the coordinator that runs it.

import type { RestoreTier } from '../../domain/ports/storage.ts';
import type { ProgressListener } from './progress.ts';
import type { RehydrateOptions, RehydrateReport } from './rehydrate.ts';
import type { RebuildCheckpoint } from './replay.ts';

export interface RebuildOptions {
  readonly restoreTier?: RestoreTier;
  /** Days restored copies stay readable. Default 1. */
  readonly restoreDays?: number;
  readonly batchSize?: number;
  readonly onProgress?: ProgressListener;
  /** Runs after each checkpointed replay batch. */
  readonly onBatch?: (batchesDone: number) => void | Promise<void>;
  readonly poll?: Pick<RehydrateOptions, 'pollMs' | 'maxPollMs' | 'timeoutMs'>;
  /** Resume this generation explicitly (default: the one the CheckpointStore remembers for the projection). */
  readonly generation?: number;
  /** Top up a finished, unpromoted generation of the same plan instead of building beside it (rebuilds that promote, the rebuild function). */
  readonly resumeFinished?: boolean;
}

/** One timed phase. */
export interface PhaseTiming {
  readonly phase: string;
  readonly ms: number;
}

export interface RebuildReport {
  readonly projection: string;
  readonly generation: number;
  /** True when an interrupted rebuild of the same plan was continued. */
  readonly resumed: boolean;
  readonly checkpoint: RebuildCheckpoint;
  /**
   * The replay's restores, by this rebuild of the generation in all its runs: a run that resumed it (after one gave up
   * waiting on restores, as the rebuild function's invocations answering `restoring` do, or was cut short) counts the
   * earlier runs' requests too, and the objects they restored as restored, not as already readable; a finished
   * generation taken over reports those of its replay. Kept in its checkpoint (restore-record.ts); a generation whose
   * checkpoint predates that reports only the restores of the run that returns. Verifying the generation restores
   * more (its VerifyReport's `rehydrated`).
   */
  readonly rehydrated: RehydrateReport;
  readonly phases: readonly PhaseTiming[];
  /** Objects read from the log during replay (a segment counts once). */
  readonly objectsRead: number;
  readonly eventsPerSecond: number;
}
