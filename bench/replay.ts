// Replay figure: the rebuild's replay loop (index → log segments → validate → upcast → the SQLite store's staged replay
// writer: idempotency keys, counters and the checkpoint committed per batch) beside raw SQLite upserts of the same balance deltas.

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { balancesProjection } from '../domain/balances.ts';
import { serializeEvent, type DomainEvent } from '../domain/event.ts';
import { emptyState, type Projection } from '../domain/projection.ts';
import { FsEventLog } from '../adapters/local/fs-event-log.ts';
import { SqliteEventIndex } from '../adapters/local/sqlite-event-index.ts';
import { SqliteProjectionStore } from '../adapters/local/sqlite-projection-store.ts';
import { entriesIn, replayOrder } from '../projections/rebuild/deps.ts';
import { EventReader } from '../projections/rebuild/read-events.ts';
import { DEFAULT_STAGED_BATCH, MAX_STAGED_BATCH, QUICK_FLUSH_MS, replayTo, STAGED_CHUNK, type RebuildCheckpoint } from '../projections/rebuild/replay.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import type { Dataset, Window } from './dataset.ts';
import { conditions, median, rate, ratioOf, round, type Figure } from './figure.ts';

export interface ReplayOptions {
  readonly dataset: Dataset;
  /** Positions replayed: hot (not archived) compacted segments. */
  readonly window: Window;
  readonly scratch: string;
  /** Rounds (default 3): each a replay into a fresh store, then the raw limit and the ceiling; the figure is the median. */
  readonly rounds?: number;
  readonly notes: readonly string[];
}

function startAt(position: number): RebuildCheckpoint {
  return {
    planKey: 'bench', snapshotId: null, baseMark: position, until: null, replayedThrough: position, passTo: position,
    cursorTs: null, cursorId: null, applied: 0, duplicates: 0, skipped: 0, batches: 0, phase: 'replaying',
  };
}

/** Counter deltas (cents as numbers) of each event, in replay order, as the reference fold decides them. */
function balanceDeltas(projection: Projection, events: readonly DomainEvent[]): [string, number][][] {
  const state = emptyState();
  return events.map((event) => {
    if (!projection.handles(event)) return [];
    const related = new Map();
    for (const r of projection.related(event)) if (state.applied.has(r)) related.set(r, state.applied.get(r)!);
    const changes = projection.decide(event, related);
    state.applied.set(`${event.EventType}_${event.RequestId}`, { id: '', memo: changes.memo ?? null });
    return (changes.counters ?? []).map((c): [string, number] => [c.key, Number(c.delta)]);
  });
}

/**
 * The raw limit: one upsert per balance delta, no reads, validation or idempotency keys, same batches and pragmas.
 * Deltas are not summed per account here (that is a replay design choice the raw limit does not get for free).
 */
function rawUpserts(file: string, deltas: readonly [string, number][][], batch: number, parse?: Ceiling): number {
  const db = new Database(file);
  // The pragmas SqliteProjectionStore opens projections.db with (openSqlite + its own), so only the work differs.
  for (const p of ['journal_mode = WAL', 'synchronous = FULL', 'cache_size = -65536', 'wal_autocheckpoint = 10000', 'journal_size_limit = 8388608']) db.pragma(p);
  db.exec('CREATE TABLE counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID');
  const upsert = db.prepare('INSERT INTO counters VALUES (?, ?) ON CONFLICT DO UPDATE SET value = value + excluded.value');
  const write = db.transaction((slice: readonly [string, number][][]) => {
    for (const changes of slice) for (const [key, delta] of changes) upsert.run(key, delta);
  });
  const t0 = performance.now();
  for (let i = 0; i < deltas.length; i += batch) {
    if (parse) for (let j = i; j < Math.min(i + batch, deltas.length); j++) parse.registry.validate(JSON.parse(parse.lines[j]!));
    write(deltas.slice(i, i + batch));
  }
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

/** What the ceiling adds to the raw limit: each event's canonical line (as replay read it), parsed and validated. */
interface Ceiling {
  readonly lines: readonly string[];
  readonly registry: SchemaRegistry;
}

/** One replay into a fresh store: its time, checkpoint and the objects it read. */
async function replayOnce(options: ReplayOptions, log: FsEventLog, index: SqliteEventIndex, registry: SchemaRegistry, round: number) {
  const { window } = options;
  const store = new SqliteProjectionStore(join(options.scratch, `replay-projections-${round}.db`));
  try {
    const generation = await store.createGeneration(balancesProjection.name);
    const reader = new EventReader({ log, upcast: registry.upcast, registry });
    const t0 = performance.now();
    // Exclusive as a rebuild's replay is (nothing else writes its new generation): batches commit staged.
    const cp = await replayTo({ index, store }, startAt(window.firstPosition - 1), window.lastPosition, { projection: balancesProjection, generation, reader, exclusive: true });
    return { ms: performance.now() - t0, cp, objectsRead: reader.objectsRead };
  } finally {
    store.close();
  }
}

/**
 * The replay figure: `rounds` rounds (default 3), each a replay into a fresh store followed at once by the raw limit
 * and the ceiling; the figure is the median round (see append.ts for why rounds).
 */
export async function replayFigure(options: ReplayOptions): Promise<Figure> {
  const { dataset, window } = options;
  const rounds = Math.max(1, options.rounds ?? 3);
  const registry = SchemaRegistry.load();
  const log = await FsEventLog.open(dataset.dir);
  const index = new SqliteEventIndex(join(dataset.dir, 'index.db'));
  const from = window.firstPosition - 1;
  try {
    // The same events, read outside any timing, decide the deltas the raw limit writes and the lines the ceiling parses.
    const entries = replayOrder(await entriesIn(index, { after: from, upTo: window.lastPosition }));
    const read = await new EventReader({ log, upcast: registry.upcast }).read(entries);
    const deltas = balanceDeltas(balancesProjection, read);
    const lines = read.map((e) => serializeEvent(e));
    const measured: { replay: Awaited<ReturnType<typeof replayOnce>>; rawMs: number; ceilingMs: number; batch: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      const replay = await replayOnce(options, log, index, registry, r);
      const events = replay.cp.applied + replay.cp.duplicates + replay.cp.skipped;
      const batch = Math.round(events / Math.max(1, replay.cp.batches));
      const rawMs = rawUpserts(join(options.scratch, `raw-upserts-${r}.db`), deltas, batch);
      // The ceiling of any validating replay: the raw upserts plus JSON.parse and registry.validate of each event's
      // line, no index scan, idempotency keys or checkpoint. Its ratio to the raw limit is the best a replay reaches.
      const ceilingMs = rawUpserts(join(options.scratch, `ceiling-upserts-${r}.db`), deltas, batch, { lines, registry });
      measured.push({ replay, rawMs, ceilingMs, batch });
    }
    const { cp, objectsRead } = measured[0]!.replay;
    const events = cp.applied + cp.duplicates + cp.skipped;
    const batch = measured[0]!.batch;
    const value = median(measured.map((m) => rate(events, m.replay.ms)));
    const rawValue = median(measured.map((m) => rate(events, m.rawMs)));
    const ratios = measured.map((m) => ratioOf(rate(events, m.replay.ms), rate(events, m.rawMs), 'rate'));
    const ratio = median(ratios);
    return {
      id: 'replay', name: 'replay', value, unit: 'events/s',
      raw: { value: rawValue, unit: 'events/s', what: `raw SQLite upserts of the same ${deltas.flat().length} balance deltas (one per counter change), batches of ${batch} (the replay's mean batch), WAL + synchronous=FULL, no reads, parsing or idempotency keys` },
      ratio,
      target: '>= 250k events/s and ratio >= 0.5',
      pass: value >= 250_000 && ratio >= 0.5,
      details: {
        rounds, ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios),
        ceilingEventsPerSecond: median(measured.map((m) => rate(events, m.ceilingMs))),
        ceilingRatio: median(measured.map((m) => ratioOf(rate(events, m.ceilingMs), rate(events, m.rawMs), 'rate'))),
        ms: round(median(measured.map((m) => m.replay.ms))), applied: cp.applied, duplicates: cp.duplicates, skipped: cp.skipped, batches: cp.batches, segmentsRead: objectsRead,
      },
      conditions: conditions({
        events, eventBytes: dataset.eventBytes, batchSize: batch,
        fsync: 'projections.db WAL, synchronous=FULL: one commit per batch (+ checkpoint write)',
        cache: 'warm',
        notes: [`median of ${rounds} rounds; each round = a replay into a fresh projections.db, then the raw limit and the ceiling; ratio = the median of the rounds' ratios (ratioMin..ratioMax)`,
          `adaptive staged batches (one commit each): ${DEFAULT_STAGED_BATCH} doubling up to ${MAX_STAGED_BATCH} while a commit takes under ${QUICK_FLUSH_MS / 1000} s, read and staged ${STAGED_CHUNK} events at a time; batchSize is the mean`, 'replayTo (projections/rebuild/replay.ts, exclusive) into a new generation of balances: index scan, segment reads, JSON parse, registry.validate, registry.upcast, decide, staged idempotency keys and counters committed with the checkpoint',
          'ceiling = the raw upserts plus JSON.parse and registry.validate of each event\'s canonical line (as read, after the upcast) (no index scan, idempotency keys or checkpoints): the best ratio a validating replay reaches here is ceilingRatio',
          `events are the hot compacted window (positions ${window.firstPosition}..${window.lastPosition}); replay validates each against its stored version's schema (SchemaRegistry.validate) before the upcast`, ...options.notes],
      }),
    };
  } finally {
    index.close();
    await log.close();
  }
}
