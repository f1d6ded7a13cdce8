// Concurrent-emit figure: callers sending one event each (as services do over HTTP) through the whole embedded
// default (append, index, dispatch to the projections), one emit at a time versus grouped by GroupEmitter.

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DomainEvent } from '../domain/event.ts';
import { openLocalEventlake } from '../adapters/local/open-local-eventlake.ts';
import { GroupEmitter } from '../projections/group-emitter.ts';
import { conditions, meanEventBytes, percentile, rate, round, type Figure } from './figure.ts';

export interface ConcurrentEmitOptions {
  readonly scratch: string;
  /** Events sent, one per emit call (their RequestIds are replaced by fresh ones per run). */
  readonly events: readonly DomainEvent[];
  /** Callers sending at once. */
  readonly callers: number;
  readonly notes: readonly string[];
}

interface Run {
  readonly ms: number;
  readonly latencies: number[];
  readonly appends: number;
}

async function sendAll(dir: string, events: readonly DomainEvent[], callers: number, grouped: boolean): Promise<Run> {
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    const emitter = new GroupEmitter(local.lake);
    // Without grouping, the HTTP server's former behaviour: one emit after the other, each its own append.
    let queue: Promise<unknown> = Promise.resolve();
    const serially = (input: DomainEvent) => {
      const run = queue.then(() => local.lake.emit(input));
      queue = run.catch(() => undefined);
      return run;
    };
    const fresh = events.map((e) => ({ ...e, RequestId: randomUUID() }));
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: callers }, async () => {
      while (next < fresh.length) {
        const event = fresh[next++]!;
        const s = performance.now();
        await (grouped ? emitter.emit(event) : serially(event));
        latencies.push(performance.now() - s);
      }
    }));
    return { ms: performance.now() - t0, latencies, appends: grouped ? emitter.stats.appends : fresh.length };
  } finally {
    await local.close();
  }
}

export async function concurrentEmitFigure(options: ConcurrentEmitOptions): Promise<Figure> {
  const { events, callers } = options;
  const serial = await sendAll(join(options.scratch, 'serial'), events, callers, false);
  const grouped = await sendAll(join(options.scratch, 'grouped'), events, callers, true);
  const n = events.length;
  return {
    id: 'concurrent_emit', name: `concurrent single-event emits (${callers} callers, append → index → dispatch), grouped`, value: rate(n, grouped.ms), unit: 'events/s',
    raw: null, ratio: null, target: 'report', pass: null,
    details: {
      serialEventsPerSecond: rate(n, serial.ms), groupedOverSerial: round(serial.ms / grouped.ms, 2),
      groupedP50Ms: round(percentile(grouped.latencies, 50), 1), groupedP99Ms: round(percentile(grouped.latencies, 99), 1),
      serialP50Ms: round(percentile(serial.latencies, 50), 1), serialP99Ms: round(percentile(serial.latencies, 99), 1),
      groupedAppends: grouped.appends,
    },
    conditions: conditions({
      events: n, eventBytes: meanEventBytes(events), batchSize: 1,
      fsync: 'per append: journal fdatasync, index.db and projections.db commits (synchronous=FULL), dispatch checkpoint',
      cache: 'warm',
      notes: [`${callers} callers each await one emit of one event at a time, into a fresh data dir per run; serial = one emit after the other (the HTTP server before GroupEmitter), grouped = GroupEmitter (what eventlake serve uses)`,
        ...options.notes],
    }),
  };
}
