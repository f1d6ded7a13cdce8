// Durable append figures: events through Eventlake.emit (validation + FsEventLog group commit) beside plain fs writes
// of the same bytes, fdatasynced the same number of times.

import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { serializeEvent, type DomainEvent } from '../domain/event.ts';
import { FsEventLog } from '../adapters/local/fs-event-log.ts';
import { SqliteProjectionStore } from '../adapters/local/sqlite-projection-store.ts';
import { Eventlake } from '../projections/eventlake.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import { conditions, meanEventBytes, median, percentile, rate, ratioOf, round, type Figure } from './figure.ts';

export interface AppendOptions {
  /** Scratch folder (each run gets its own data dir below it). */
  readonly scratch: string;
  /** Fresh events to emit (never stored before); the batched runs use the first ones, the single run the next. */
  readonly events: readonly DomainEvent[];
  readonly batchSizes: readonly number[];
  /** Events emitted per batch size. */
  readonly batchedEvents: Readonly<Record<number, number>>;
  readonly singleEvents: number;
  /** Rounds per figure (default 3): each an emit run, then the raw limit and the ceiling; the figure is the median. */
  readonly rounds?: number;
  readonly notes: readonly string[];
}

interface Run {
  /** Milliseconds of every emit call. */
  readonly commits: number[];
  readonly emitMs: number;
  /** Emits plus close() (the last checkpoint fsyncs every batch object): the sustained cost. */
  readonly totalMs: number;
}

async function emitAll(dir: string, batches: readonly (readonly DomainEvent[])[]): Promise<Run> {
  const log = await FsEventLog.open(dir);
  const store = new SqliteProjectionStore(join(dir, 'projections.db'));
  const lake = new Eventlake({ registry: SchemaRegistry.load(), log, store });
  const commits: number[] = [];
  const t0 = performance.now();
  for (const batch of batches) {
    const c0 = performance.now();
    await lake.emit(batch);
    commits.push(performance.now() - c0);
  }
  const emitMs = performance.now() - t0;
  await log.close();
  const totalMs = performance.now() - t0;
  store.close();
  return { commits, emitMs, totalMs };
}

/**
 * Append each batch's bytes to one file with one write() and one fdatasync() per batch, timing each batch from the
 * call of `encode` (so the work it does is timed) to the end of its fdatasync.
 */
function timedAppend<T>(file: string, batches: readonly T[], encode: (batch: T) => Buffer): number[] {
  const fd = openSync(file, 'a', 0o600);
  const commits: number[] = [];
  try {
    for (const batch of batches) {
      const c0 = performance.now();
      const buf = encode(batch);
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
      fdatasyncSync(fd);
      commits.push(performance.now() - c0);
    }
  } finally {
    closeSync(fd);
  }
  return commits;
}

/** The raw limit: the batches' canonical lines (encoded before the timing) appended, one write + fdatasync per batch. */
function rawAppend(file: string, batches: readonly (readonly DomainEvent[])[]): number[] {
  const buffers = batches.map((b) => Buffer.from(b.map((e) => `${serializeEvent(e)}\n`).join('')));
  return timedAppend(file, buffers, (buf) => buf);
}

/**
 * The ceiling of any validating durable append: the raw limit's writes and fdatasyncs plus the only per-event work
 * an emit cannot skip, validating each event (registry.validate) and serializing it. No identity check, journal,
 * object or catalogue. Its ratio to the raw limit is the best ratio an emit could reach on this machine.
 */
function ceilingAppend(file: string, batches: readonly (readonly DomainEvent[])[], registry: SchemaRegistry): number[] {
  return timedAppend(file, batches, (batch) => {
    let text = '';
    for (const event of batch) text += `${serializeEvent(registry.validate(event))}\n`;
    return Buffer.from(text);
  });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** One round of one batch size: the emit run and, right after it, the raw limit and the ceiling of the same batches. */
interface Round {
  readonly run: Run;
  readonly raw: number[];
  readonly ceiling: number[];
}

/**
 * Durable append, batched (one figure per batch size) and single. Each is measured in `rounds` rounds, each round an
 * emit run into a fresh data dir followed at once by the raw limit and the ceiling; the figure is the median round.
 * Why rounds: one run of a few thousand fsyncs on a shared machine swings by 2x; pairing each emit run with the raw
 * limit measured right after it, and taking the median ratio, keeps a noisy minute from deciding the result.
 */
export async function appendFigures(options: AppendOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  const registry = SchemaRegistry.load();
  const rounds = Math.max(1, options.rounds ?? 3);
  const eventBytes = meanEventBytes(options.events);
  let used = 0;
  const take = (n: number) => options.events.slice(used, (used += n));
  for (const size of [...options.batchSizes, 1]) {
    const single = size === 1;
    const events = take(single ? options.singleEvents : options.batchedEvents[size] ?? size * 10);
    const batches = chunk(events, size);
    const dir = join(options.scratch, `append-${size}`);
    mkdirSync(dir, { recursive: true });
    const measured: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      // The same events every round: each round's data dir is new, so none of them was stored there before.
      const run = await emitAll(join(dir, `data-${r}`), batches);
      const raw = rawAppend(join(dir, `raw-${r}.ndjson`), batches);
      const ceiling = ceilingAppend(join(dir, `ceiling-${r}.ndjson`), batches, registry);
      measured.push({ run, raw, ceiling });
    }
    const rateOf = (ms: number) => rate(events.length, ms);
    const value = median(measured.map((m) => rateOf(m.run.totalMs)));
    const rawValue = median(measured.map((m) => rateOf(sum(m.raw))));
    const ratios = measured.map((m) => ratioOf(rateOf(m.run.totalMs), rateOf(sum(m.raw)), 'rate'));
    const ratio = median(ratios);
    const commits = measured.flatMap((m) => m.run.commits);
    const raw = measured.flatMap((m) => m.raw);
    figures.push({
      id: single ? 'append_single' : `append_batched_${size}`,
      name: single ? 'durable append, single' : `durable append, batches of ${size}`,
      value, unit: 'events/s',
      raw: { value: rawValue, unit: 'events/s', what: `the same canonical lines appended to one file with plain fs: one write() + one fdatasync() per ${single ? 'event' : 'batch'}` },
      ratio,
      target: single ? 'ratio >= 0.5' : '>= 100k events/s and ratio >= 0.5',
      pass: single ? ratio >= 0.5 : value >= 100_000 && ratio >= 0.5,
      details: {
        rounds, ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios),
        emitOnlyEventsPerSecond: median(measured.map((m) => rateOf(m.run.emitMs))),
        finalCheckpointMs: round(median(measured.map((m) => m.run.totalMs - m.run.emitMs))),
        commitP50Ms: round(percentile(commits, 50), 2), commitP99Ms: round(percentile(commits, 99), 2),
        rawCommitP50Ms: round(percentile(raw, 50), 2), rawCommitP99Ms: round(percentile(raw, 99), 2),
        ceilingEventsPerSecond: median(measured.map((m) => rateOf(sum(m.ceiling)))),
        ceilingRatio: median(measured.map((m) => ratioOf(rateOf(sum(m.ceiling)), rateOf(sum(m.raw)), 'rate'))),
      },
      conditions: conditions({
        events: events.length, eventBytes, batchSize: size,
        fsync: 'journal fdatasync per emit (group commit); batch objects (one per emit and hour) fsynced by the background checkpoint and close(), both timed',
        cache: 'warm',
        notes: [`median of ${rounds} rounds; each round = an emit run into a fresh data dir, then the raw limit and the ceiling of the same batches; ratio = the median of the rounds' ratios (ratioMin..ratioMax)`,
          'value = events / (all emits + the final checkpoint of close()); emitOnlyEventsPerSecond leaves the last checkpoint out',
          'ceiling = the raw limit plus registry.validate and serializeEvent of each event (no identity check, journal or object): the best ratio a validating append reaches here is ceilingRatio',
          'emit = registry.validate (ajv, domain rules, size) + FsEventLog.append (catalogue lookup and record under its lock, journal write + fdatasync, one write-once batch object per hour); no indexing or dispatch (afterAppend unset)', ...options.notes],
      }),
    });
  }
  return figures;
}
