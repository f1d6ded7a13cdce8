// Request-id figure: the same events applied to the balances store in dispatch-sized batches, once with random
// UUIDv4 RequestIds (what many clients send) and once with time-ordered UUIDv7 (what emit generates), side by side.

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { balancesProjection } from '../domain/balances.ts';
import type { DomainEvent } from '../domain/event.ts';
import { SqliteProjectionStore } from '../adapters/local/sqlite-projection-store.ts';
import { DISPATCH_BATCH } from '../projections/dispatch-tail.ts';
import { newRequestId } from '../projections/request-id.ts';
import { conditions, meanEventBytes, median, rate, round, type Figure } from './figure.ts';

export interface RequestIdOptions {
  readonly scratch: string;
  /** The events to apply (their RequestIds are replaced; pairs sharing one keep sharing it). */
  readonly events: readonly DomainEvent[];
  /** Rounds (default 3): each applies the v4 set, then the v7 set, into fresh stores; the figure is the median. */
  readonly rounds?: number;
  readonly notes: readonly string[];
}

/** Bytes this process has caused to be written to storage so far (Linux /proc/self/io), or undefined. */
function writtenBytes(): number | undefined {
  if (!existsSync('/proc/self/io')) return undefined;
  const m = /write_bytes: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'));
  return m ? Number(m[1]) : undefined;
}

/** The events with each RequestId replaced by `fresh()` (one new id per old id, so a deposit and its verification still pair). */
function withIds(events: readonly DomainEvent[], fresh: () => string): DomainEvent[] {
  const ids = new Map<string, string>();
  return events.map((e) => {
    const old = String(e.RequestId);
    let id = ids.get(old);
    if (id === undefined) ids.set(old, (id = fresh()));
    return { ...e, RequestId: id };
  });
}

async function applyAll(file: string, events: readonly DomainEvent[], batch: number): Promise<{ ms: number; bytes: number | undefined }> {
  const store = new SqliteProjectionStore(file);
  try {
    const b0 = writtenBytes();
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += batch) await store.apply(balancesProjection, 1, events.slice(i, i + batch));
    const ms = performance.now() - t0;
    const b1 = writtenBytes();
    return { ms, bytes: b0 === undefined || b1 === undefined ? undefined : b1 - b0 };
  } finally {
    store.close();
  }
}

export async function requestIdFigure(options: RequestIdOptions): Promise<Figure> {
  const rounds = options.rounds ?? 3;
  const batch = DISPATCH_BATCH;
  // Made before any timing; v7 ids a few ms apart, as a steady stream of emits would make them.
  let clock = Date.now();
  const v4 = withIds(options.events, randomUUID);
  const v7 = withIds(options.events, () => newRequestId((clock += 3)));
  const measured: { v4: Awaited<ReturnType<typeof applyAll>>; v7: Awaited<ReturnType<typeof applyAll>> }[] = [];
  for (let r = 0; r < rounds; r++) {
    measured.push({
      v4: await applyAll(join(options.scratch, `ids-v4-${r}.db`), v4, batch),
      v7: await applyAll(join(options.scratch, `ids-v7-${r}.db`), v7, batch),
    });
  }
  const n = options.events.length;
  const mib = (b: number | undefined) => (b === undefined ? 'n/a' : round(b / 2 ** 20, 1));
  const v4Rate = median(measured.map((m) => rate(n, m.v4.ms)));
  const v7Rate = median(measured.map((m) => rate(n, m.v7.ms)));
  return {
    id: 'request_ids', name: 'idempotency keys: UUIDv7 vs UUIDv4 RequestIds (balances store)', value: v7Rate, unit: 'events/s',
    raw: null, ratio: null, target: 'report', pass: null,
    details: {
      v7EventsPerSecond: v7Rate, v4EventsPerSecond: v4Rate,
      v7OverV4: median(measured.map((m) => round(m.v4.ms / m.v7.ms, 2))),
      v7WrittenMiB: mib(measured[measured.length >> 1]!.v7.bytes), v4WrittenMiB: mib(measured[measured.length >> 1]!.v4.bytes),
      rounds,
    },
    conditions: conditions({
      events: n, eventBytes: meanEventBytes(options.events), batchSize: batch,
      fsync: 'projections.db synchronous=FULL: a commit per batch',
      cache: 'warm',
      notes: [`median of ${rounds} rounds; each round applies the v4 set then the v7 set (same events, same batches) into fresh projections.db files; written bytes from /proc/self/io`,
        'why: identities are B-tree keys; random v4 ids dirty a page each per commit, time-ordered v7 ids append near the end', ...options.notes],
    }),
  };
}
