// Replay: apply the events a rebuild lacks, in deterministic order, in batches, checkpointing after every batch.
//
// Why passes: the replay set is fixed by positions, (replayedThrough, passTo]. A pass sorts its set by (EventTimeStamp,
// id) and records the last applied (ts, id) as its cursor, so a killed pass resumes right after it. Events indexed
// later (a newer plan, or the top-up before promotion) form the next pass: were they merged into a running pass, a
// late arrival could sort before the cursor and be skipped. Overlap after a kill (applied, not yet checkpointed) is
// harmless: the store's idempotency keys turn it into duplicates. A store with a staged replay writer has none: a
// batch and its checkpoint commit together (ReplayOptions.exclusive).

import { CounterRangeError, InvalidArgumentError, StagedReplayRefusedError, StorageFullError } from '../../domain/errors.ts';
import type { JsonObject } from '../../domain/event.ts';
import type { ApplyOutcome } from '../../domain/ports/projection-store.ts';
import { ProjectionRuleError } from '../../domain/projection-errors.ts';
import type { Projection } from '../../domain/projection.ts';
import { ruleErrorsTyped } from '../../domain/projection.ts';
import type { RebuildDeps, ReplayEntry } from './deps.ts';
// Batch sizing lives beside (replay-batches.ts); importers of the replay find it here too.
export {
  DEFAULT_REPLAY_BATCH, DEFAULT_STAGED_BATCH, MAX_REPLAY_BATCH, MAX_STAGED_BATCH, nextBatchSize, nextStagedBatchSize, QUICK_BATCH_MS, QUICK_FLUSH_MS,
  STAGED_CHUNK,
} from './replay-batches.ts';
import { loopTurn } from '../loop-turn.ts';
import { diskStop } from './disk-stop.ts';
import {
  applyingWriter, DEFAULT_REPLAY_BATCH, DEFAULT_STAGED_BATCH, groupedWriter, MAX_REPLAY_BATCH, nextBatchSize, nextStagedBatchSize, STAGED_CHUNK,
  stagedBatchTarget, type BatchWriter,
} from './replay-batches.ts';
import { rangeStop } from './range-stop.ts';
import { openReplaySource } from './replay-source.ts';
import type { ProgressListener } from './progress.ts';
import type { EventReader } from './read-events.ts';
import type { RestoreRecords } from './restore-record.ts';
import type { RecordedRules } from './rules-fingerprint.ts';

/**
 * The resumable state of a rebuild, stored with its generation (`ProjectionStore.setCheckpoint`). `rulesFingerprint` and
 * `rulesForm` (RecordedRules) say which rules built it, `replayRestores` and `verifyRestores` (RestoreRecords) what it
 * restored; checkpoints written before they existed have none of them.
 */
export interface RebuildCheckpoint extends RecordedRules, RestoreRecords {
  /** Identifies the plan (snapshot, until, rules version): a different plan never resumes this generation. */
  readonly planKey: string;
  readonly snapshotId: string | null;
  readonly baseMark: number;
  /** Epoch ms event-time bound, or null. */
  readonly until: number | null;
  /** Every event in (baseMark, replayedThrough] (within `until`) is applied. */
  readonly replayedThrough: number;
  /** Upper bound of the pass in progress (equal to replayedThrough between passes). */
  readonly passTo: number;
  /** Last applied (EventTimeStamp, id) of the pass in progress. */
  readonly cursorTs: number | null;
  readonly cursorId: string | null;
  readonly applied: number;
  readonly duplicates: number;
  readonly skipped: number;
  readonly batches: number;
  /**
   * 'replaying' until the rebuild reaches its plan's mark (an unfinished generation: the next rebuild resumes it, or
   * drops it for another plan); 'finished' once it did (kept: only an operator drops it); 'promoted' once it went live.
   */
  readonly phase: 'replaying' | 'finished' | 'promoted';
}

export interface ReplayOptions {
  readonly projection: Projection;
  readonly generation: number;
  /** Must validate (`reader.validates`): replay applies only events valid against their stored version's schema. */
  readonly reader: EventReader;
  /** Fixed events per batch; without it batches start at DEFAULT_REPLAY_BATCH and grow (`nextBatchSize`). */
  readonly batchSize?: number;
  /**
   * Nothing else writes the generation during this replay (a rebuild's replay under its lease): a store with
   * `stagedReplay` then commits each batch with its checkpoint in one transaction, a batch read and staged
   * STAGED_CHUNK events at a time (batches from DEFAULT_STAGED_BATCH when `batchSize` is not fixed).
   */
  readonly exclusive?: boolean;
  /** Events a staged replay reads and stages at once (default STAGED_CHUNK). */
  readonly stagedChunk?: number;
  readonly onProgress?: ProgressListener;
  /** Runs after each checkpointed batch (tests kill the process here). */
  readonly onBatch?: (batchesDone: number) => void | Promise<void>;
  /**
   * Runs once per pass, before any of its entries is read, with the keys of the pass's objects that are not in
   * STANDARD (the coordinator rehydrates them here) and the checkpoint as the pass begins. The checkpoint it returns,
   * if any, is the one the pass goes on from (the coordinator's, with what it restored: restore-record.ts).
   */
  readonly beforePass?: (archivedKeys: readonly string[], checkpoint: RebuildCheckpoint) => Promise<RebuildCheckpoint | void>;
}

/**
 * Apply every event of (checkpoint.replayedThrough, to] the generation lacks; returns the final checkpoint. Throws
 * `ProjectionRuleError` when a rule throws on an event: the checkpoint stays before that event's batch (see `ruleStop`),
 * and so `CounterRangeError` when an event's change leaves a counter's range (see `rangeStop`);
 * a rebuild's `StorageFullError` says the generation is kept (see `diskStop`).
 */
export async function replayTo(deps: Pick<RebuildDeps, 'index' | 'store'>, start: RebuildCheckpoint, to: number, options: ReplayOptions): Promise<RebuildCheckpoint> {
  if (!options.reader.validates) {
    throw new InvalidArgumentError('reader', 'replay validates every event it applies: give the EventReader a schema registry (deps.registry)');
  }
  try {
    return await replayPasses(deps, start, to, options);
  } catch (error) {
    throw error instanceof StorageFullError && start.phase === 'replaying' ? diskStop(error, options.projection.name, options.generation) : error;
  }
}

async function replayPasses(deps: Pick<RebuildDeps, 'index' | 'store'>, start: RebuildCheckpoint, to: number, options: ReplayOptions): Promise<RebuildCheckpoint> {
  let cp = start;
  const name = options.projection.name;
  // A store calls the rules inside its own error handling (DynamoDB reports anything as a storage failure): typed here,
  // a rule's error reaches the user as the rule's.
  const projection = ruleErrorsTyped(options.projection);
  const staged = options.exclusive === true ? deps.store.stagedReplay?.(projection, options.generation) : undefined;
  let writer: BatchWriter = staged ? groupedWriter(staged) : applyingWriter(deps.store, projection, options.generation);
  let size = options.batchSize ?? (writer.grouped ? DEFAULT_STAGED_BATCH : DEFAULT_REPLAY_BATCH);
  const chunk = Math.max(1, options.stagedChunk ?? STAGED_CHUNK);
  while (cp.replayedThrough < to) {
    const passTo = cp.passTo > cp.replayedThrough ? cp.passTo : to;
    const range = { after: cp.replayedThrough, upTo: passTo, ...(cp.until !== null ? { until: cp.until } : {}) };
    const cursor = cp.cursorId !== null && cp.passTo === passTo ? { timestamp: cp.cursorTs ?? 0, id: cp.cursorId } : undefined;
    // Entries come a batch at a time in replay order (openReplaySource): a pass never holds its whole range.
    const source = await openReplaySource(deps.index, range, cursor);
    cp = (await options.beforePass?.(source.archivedKeys, cp)) ?? cp;
    const total = source.remaining;
    let done = 0;
    let refused = false;
    options.onProgress?.({ phase: 'replay', done, total, unit: 'events' });
    for (;;) {
      const started = performance.now();
      // A batch is what one checkpoint covers: read (and staged) a chunk at a time when the writer groups them.
      let pending = cp;
      let inBatch = 0;
      const target = writer.grouped && options.batchSize === undefined ? stagedBatchTarget(size, total - done) : size;
      while (inBatch < target) {
        const entries = await source.next(writer.grouped ? Math.min(chunk, target - inBatch) : target - inBatch);
        if (entries.length === 0) break;
        // Validated before anything is applied: an invalid event stops the replay with its batch unapplied and the
        // checkpoint where it was, so a fixed log (or schema) resumes right here.
        let outcomes: ApplyOutcome[];
        try {
          // The reader may fold the events too (reference.ts): a rule that throws may throw from either.
          const events = await options.reader.read(entries);
          outcomes = await writer.stage(events);
        } catch (error) {
          // What was staged before this chunk is kept: the replay stops right before the chunk.
          if (inBatch > 0) {
            const kept = { ...pending, batches: pending.batches + 1 };
            // A failed or refused flush wrote nothing: the checkpoint then stays where it was, which is as true.
            if (await writer.flush(toJson(kept)).then(() => true, () => false)) cp = kept;
          }
          if (error instanceof ProjectionRuleError) throw ruleStop(error, entries, cp, options.generation);
          throw error instanceof CounterRangeError ? rangeStop(error, entries, cp, options.generation) : error;
        }
        const last = entries[entries.length - 1]!;
        const count = { applied: 0, duplicate: 0, skipped: 0 };
        for (const o of outcomes) count[o.status]++;
        pending = {
          ...pending, passTo, cursorTs: last.timestamp, cursorId: last.id,
          applied: pending.applied + count.applied, duplicates: pending.duplicates + count.duplicate, skipped: pending.skipped + count.skipped,
        };
        inBatch += entries.length;
        done += entries.length;
        options.onProgress?.({ phase: 'replay', done, total, unit: 'events' });
        // A staged batch runs for seconds without waiting on I/O (segments are read once, then served from memory):
        // a turn of the event loop per chunk lets a signal handler, a lease's heartbeat or a server in the same process
        // run meanwhile, as they did between the shorter batches of before.
        if (writer.grouped) await loopTurn();
      }
      if (inBatch === 0) break;
      pending = { ...pending, batches: pending.batches + 1 };
      const flushed = performance.now();
      try {
        await writer.flush(toJson(pending));
      } catch (error) {
        if (!(error instanceof StagedReplayRefusedError)) throw error;
        // Decided against what the store held before the batch, and refused: the batch is applied again one batch at a
        // time from the last checkpoint, which decides against the store and names the event at fault.
        writer = applyingWriter(deps.store, projection, options.generation);
        refused = true;
        break;
      }
      cp = pending;
      await options.onBatch?.(cp.batches);
      if (options.batchSize === undefined) {
        size = writer.grouped
          ? nextStagedBatchSize(size, performance.now() - flushed)
          : nextBatchSize(size, performance.now() - started);
      }
    }
    if (refused) {
      size = Math.min(size, MAX_REPLAY_BATCH);
      continue;
    }
    cp = { ...cp, replayedThrough: passTo, passTo, cursorTs: null, cursorId: null };
    await deps.store.setCheckpoint(name, options.generation, toJson(cp));
  }
  return cp;
}

/**
 * A rule's error, saying where the replay stopped. Why a rebuild can resume it: the batch was not checkpointed (SQLite
 * rolled it back; DynamoDB's applied part is a duplicate next time), so once the rule is fixed the same rebuild takes
 * the unfinished generation over from its checkpoint, or, the rule's text having changed, drops it for a fresh one
 * (start-generation.ts: a generation built with other rules is never resumed).
 */
function ruleStop(error: ProjectionRuleError, batch: readonly ReplayEntry[], cp: RebuildCheckpoint, generation: number): ProjectionRuleError {
  const position = batch.find((e) => e.id === error.eventId)?.position;
  const where = position === undefined ? {} : { position };
  if (cp.phase !== 'replaying') return error.within({ ...where, stopped: `the replay into generation ${generation} stopped there` });
  return error.within({
    ...where,
    stopped: `the rebuild stopped there and keeps generation ${generation} unfinished at its last checkpoint (its lease is freed)`,
    rerun: `continues generation ${generation} from that checkpoint, or replaces it with a fresh generation when the rule's text changed`,
  });
}

/** A rebuild's `planKey`: what it starts from, its `until` and its projection's rules version. */
export function planKeyOf(snapshotId: string | null, until: number | null, version: number): string {
  return `${snapshotId ?? 'empty'}|${until ?? ''}|v${version}`;
}

/** The projection version a `planKey` names (undefined: not one `planKeyOf` wrote). */
export function planVersion(planKey: string): number | undefined {
  const m = /\|v(\d+)$/.exec(planKey);
  return m ? Number(m[1]) : undefined;
}

/** The checkpoint as stored; fields left undefined are left out (a DynamoDB item takes no undefined value). */
export function toJson(cp: RebuildCheckpoint): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(cp)) if (value !== undefined) out[key] = value as JsonObject[string];
  return out;
}

/** The checkpoint of a generation, if it holds one written by a rebuild. */
export async function readCheckpoint(deps: Pick<RebuildDeps, 'store'>, projection: string, generation: number): Promise<RebuildCheckpoint | undefined> {
  const raw = await deps.store.getCheckpoint(projection, generation);
  if (!raw || typeof raw['planKey'] !== 'string' || typeof raw['replayedThrough'] !== 'number') return undefined;
  return raw as unknown as RebuildCheckpoint;
}
