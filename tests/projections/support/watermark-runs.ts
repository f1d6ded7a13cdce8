// What the archive watermark suites share: runLifecycle on a lifecycle context as a local runtime runs it (target
// 'local', a checkpoint store), the hour folders each run listed, and what an hour holds afterwards.

import { isBatchObjectKey } from '../../../domain/batch-objects.ts';
import { EVENT_OBJECT_SUFFIX, partitionPrefix } from '../../../domain/event.ts';
import type { ArchiveTier } from '../../../domain/ports/archive-tier.ts';
import type { CheckpointStore } from '../../../domain/ports/checkpoint-store.ts';
import type { EventIndex } from '../../../domain/ports/event-index.ts';
import type { EventLog } from '../../../domain/ports/event-log.ts';
import type { StorageClass } from '../../../domain/ports/storage.ts';
import { runLifecycle, type LifecycleDeps, type LifecycleOptions, type LifecycleReport } from '../../../projections/lifecycle.ts';

/** A log, index and archive tier: FsEventLog and co. (lifecycle-fixture.ts) or the memory fakes. */
export interface Ports {
  readonly log: EventLog;
  readonly index: EventIndex;
  readonly archive: ArchiveTier;
}

/** How a run is made: without the local target it is a run as on AWS (or a caller's own deps); `dispatched` by default all. */
export interface RunHow {
  readonly target?: 'local' | 'aws';
  readonly dispatched?: number;
  /** Thrown from the log's `remove`: compaction stops after repointing the index, before removing originals. */
  readonly crashOnRemove?: Error;
}

/** Runs of runLifecycle on `ctx` with `checkpoints`, recording the hour folders each one listed (each once). */
export function watermarkRuns(ctx: Ports, checkpoints: CheckpointStore) {
  const listed: string[] = [];
  let crash: Error | undefined;
  const log = new Proxy(ctx.log, {
    get: (target, key) => key === 'list' ? (prefix: string) => { listed.push(prefix); return target.list(prefix); }
      : key === 'remove' ? (keys: readonly string[]) => (crash ? Promise.reject(crash) : target.remove(keys))
        : Reflect.get(target, key, target) as unknown,
  }) as EventLog;
  return {
    /** One run; resolves to its report and the folders it listed. */
    async run(options: LifecycleOptions, how: RunHow = {}): Promise<LifecycleReport & { listed: string[] }> {
      listed.length = 0;
      crash = how.crashOnRemove;
      const deps: LifecycleDeps = {
        log, index: ctx.index, archive: ctx.archive, checkpoints, target: how.target ?? 'local',
        dispatchedPosition: async () => how.dispatched ?? (await ctx.index.lastPosition()),
      };
      return { ...(await runLifecycle(deps, options)), listed: [...new Set(listed)] };
    },
  };
}

/** The hour's objects by file name with their class, as the index reports them, and whether originals are on disk. */
export async function hourState(ctx: Ports, hourStart: number): Promise<{ classes: Record<string, StorageClass>; originals: boolean }> {
  const prefix = partitionPrefix(hourStart);
  const classes: Record<string, StorageClass> = {};
  for (const o of await ctx.index.objects()) if (o.key.startsWith(prefix)) classes[o.key.slice(prefix.length).replace(/^batch-\d+\.ndjson$/, 'batch-*.ndjson')] = o.storageClass;
  let originals = false;
  for await (const o of ctx.log.list(prefix)) if (o.key.endsWith(EVENT_OBJECT_SUFFIX) || isBatchObjectKey(o.key)) originals = true;
  return { classes, originals };
}
