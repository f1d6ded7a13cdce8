// Dispatch figure: the last events of the hot window (batch objects) carried by DispatchTail through the
// LocalDispatcher to the balances projector, from a checkpoint just before them.

import { join } from 'node:path';
import { balancesProjection } from '../domain/balances.ts';
import { FsEventLog } from '../adapters/local/fs-event-log.ts';
import { LocalDispatcher } from '../adapters/local/local-dispatcher.ts';
import { SqliteCheckpointStore } from '../adapters/local/sqlite-checkpoint-store.ts';
import { SqliteDeadLetterStore } from '../adapters/local/sqlite-dead-letter-store.ts';
import { SqliteEventIndex } from '../adapters/local/sqlite-event-index.ts';
import { SqliteProjectionStore } from '../adapters/local/sqlite-projection-store.ts';
import { DISPATCH_BATCH, DispatchTail } from '../projections/dispatch-tail.ts';
import { projectorRoute } from '../projections/projector.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import type { Dataset } from './dataset.ts';
import { conditions, rate, round, type Figure } from './figure.ts';

export interface DispatchOptions {
  readonly dataset: Dataset;
  /** Events dispatched: the last ones of the hot window. */
  readonly events: number;
  readonly scratch: string;
  readonly notes: readonly string[];
}

export async function dispatchFigure(options: DispatchOptions): Promise<Figure> {
  const { dataset } = options;
  const count = Math.min(options.events, dataset.hot.events);
  const registry = SchemaRegistry.load();
  const log = await FsEventLog.open(dataset.dir);
  const index = new SqliteEventIndex(join(dataset.dir, 'index.db'));
  const store = new SqliteProjectionStore(join(options.scratch, 'dispatch-projections.db'));
  const checkpoints = new SqliteCheckpointStore(join(options.scratch, 'dispatch.db'));
  const deadLetters = new SqliteDeadLetterStore(join(options.scratch, 'dispatch.db'));
  const dispatcher = new LocalDispatcher({ rules: [projectorRoute(store, balancesProjection)], deadLetters });
  const tail = new DispatchTail({ index, log, dispatcher, checkpoints, upcast: registry.upcast });
  await checkpoints.set('dispatch', dataset.lastPosition - count);
  const t0 = performance.now();
  const report = await tail.drain();
  const ms = performance.now() - t0;
  for (const c of [store, checkpoints, deadLetters, index]) c.close();
  await log.close();
  return {
    id: 'dispatch', name: 'dispatch (tail → local dispatcher → balances)', value: rate(report.published, ms), unit: 'events/s',
    raw: null, ratio: null, target: 'report', pass: null,
    details: { ms: round(ms), published: report.published, batches: report.batches, retries: report.retries, delivered: dispatcher.stats.delivered, deadLettered: dispatcher.stats.deadLettered },
    conditions: conditions({
      events: report.published, eventBytes: dataset.eventBytes, batchSize: DISPATCH_BATCH,
      fsync: 'projections.db and dispatch.db synchronous=FULL: a commit per batch (apply) and per checkpoint',
      cache: 'warm',
      notes: [`DispatchTail.drain with its default batches (from ${DISPATCH_BATCH}, doubling after each that took under a second: see details.batches): index page, each object holding 4+ of the page's events read once (else one log.read per event), upcast, publish to the balances projector rule, checkpoint`,
        ...options.notes],
    }),
  };
}
