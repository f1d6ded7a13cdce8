// The whole benchmark: builds one data dir, measures every figure against it (append uses fresh dirs), writes the report.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendFigures } from './append.ts';
import { concurrentEmitFigure } from './concurrent-emit.ts';
import { buildDataset } from './dataset.ts';
import { dispatchFigure } from './dispatch.ts';
import type { Figure } from './figure.ts';
import { rebuildFigure } from './rebuild.ts';
import { requestIdFigure } from './request-ids.ts';
import { replayFigure } from './replay.ts';
import { loadNow, RATIO_MEANING, table, writeReport, type Report } from './report.ts';
import { sinceFigures } from './since.ts';
import { eventSource, firstEvents } from './synthetic.ts';

export const DEFAULT_EVENTS = 1_000_000;
export const QUICK_EVENTS = 100_000;

export interface BenchOptions {
  /** Events in the benchmark log (default 1M, or 100k with `quick`). */
  readonly events?: number;
  /** Smaller sizes everywhere, to finish in under a minute. */
  readonly quick?: boolean;
  /** Folder of latest.json and the dated copies (default bench/results). */
  readonly out?: string;
  /** Keep the scratch data dirs (their path is logged). */
  readonly keep?: boolean;
  readonly command?: string;
  readonly log?: (line: string) => void;
  /** Measure only these figures (default all); `latest.json` is then not overwritten. */
  readonly only?: readonly FigureGroup[];
}

/** The figure groups `--only` selects. */
export const FIGURE_GROUPS = ['append', 'ids', 'concurrent', 'replay', 'since', 'dispatch', 'rebuild'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

/** Run counts of every figure, scaled down with the log (a 6k-event smoke run takes seconds). */
/** Rounds of the append and replay figures, each paired with its raw limit; the figure is the median round. */
const ROUNDS = 3;

function sizes(events: number, quick: boolean) {
  const scale = Math.min(1, events / (quick ? QUICK_EVENTS : DEFAULT_EVENTS));
  const scaled = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  return {
    batched: { 100: scaled(quick ? 3_000 : 10_000, 100), 1000: scaled(quick ? 6_000 : 20_000, 1_000) } as Record<number, number>,
    single: scaled(quick ? 200 : 1_000, 20),
    since: quick ? { compacted: 10, notCompacted: 1 } : { compacted: 15, notCompacted: 1 },
    dispatch: scaled(quick ? 10_000 : 50_000, 100),
    ids: scaled(quick ? 20_000 : 100_000, 500),
    concurrent: scaled(quick ? 500 : 2_000, 100),
  };
}

/** `sync(1)`: the dataset's dirty pages are written back now, not during the next measurement (no-op where absent). */
function flushToDisk(): Promise<void> {
  return new Promise((resolve) => execFile('sync', () => resolve()));
}

/** Run every figure and write the report; returns it. */
export async function runBench(options: BenchOptions = {}): Promise<Report & { paths: string[] }> {
  const quick = options.quick ?? false;
  const events = options.events ?? (quick ? QUICK_EVENTS : DEFAULT_EVENTS);
  const log = options.log ?? (() => undefined);
  const size = sizes(events, quick);
  const notes = quick ? [`--quick: smaller sizes (log of ${events} events, fewer runs)`] : [];
  const loadStart = loadNow();
  const t0 = performance.now();
  const scratch = mkdtempSync(join(tmpdir(), 'eventlake-bench-'));
  const figures: Figure[] = [];
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const s = performance.now();
    const result = await fn();
    log(`${what}: ${Math.round(performance.now() - s)} ms`);
    return result;
  };
  try {
    // Append first, on an idle disk: building the dataset leaves hundreds of MB to write back.
    const wanted = (g: FigureGroup) => !options.only || options.only.includes(g);
    const source = eventSource(Math.min(events, 25_000));
    if (wanted('append')) {
      const fresh = firstEvents(source, size.batched[100]! + size.batched[1000]! + size.single);
      mkdirSync(join(scratch, 'append'));
      figures.push(...(await step('append', () => appendFigures({
        scratch: join(scratch, 'append'), events: fresh, batchSizes: [100, 1000], batchedEvents: size.batched, singleEvents: size.single,
        rounds: ROUNDS, notes: [...notes, 'measured first, in fresh data dirs, before the benchmark log is built'],
      }))));
    }
    if (wanted('ids')) {
      mkdirSync(join(scratch, 'ids'));
      figures.push(await step('request ids', () => requestIdFigure({ scratch: join(scratch, 'ids'), events: firstEvents(source, size.ids), rounds: ROUNDS, notes })));
    }
    if (wanted('concurrent')) {
      mkdirSync(join(scratch, 'concurrent'));
      figures.push(await step('concurrent emits', () => concurrentEmitFigure({ scratch: join(scratch, 'concurrent'), events: firstEvents(source, size.concurrent), callers: 50, notes })));
    }
    // These need no benchmark log: a run of only them skips building it.
    if (options.only && options.only.every((g) => g === 'append' || g === 'ids' || g === 'concurrent')) return finish();
    const dataset = await step(`dataset (${events} events)`, () => buildDataset(join(scratch, 'data'), events, source));
    await step('sync (write back the dataset before measuring)', flushToDisk);
    const onLog = [...notes, `on the benchmark log (${dataset.events} events, built directly on disk, then written back by sync(1))`];
    if (wanted('replay')) figures.push(await step('replay', () => replayFigure({ dataset, window: dataset.hotSegments, scratch, rounds: ROUNDS, notes: onLog })));
    if (wanted('since')) figures.push(...(await step('since', () => sinceFigures({ dataset, runs: size.since, notes: onLog }))));
    if (wanted('dispatch')) figures.push(await step('dispatch', () => dispatchFigure({ dataset, events: size.dispatch, scratch, notes: onLog })));
    if (wanted('rebuild')) figures.push(await step('rebuild', () => rebuildFigure({ dataset, notes: onLog }))); // last: it restores archived segments
    return finish(dataset);
  } finally {
    if (options.keep) log(`scratch kept: ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }

  function finish(dataset?: Awaited<ReturnType<typeof buildDataset>>): Report & { paths: string[] } {
    const report: Report = {
      generatedAt: new Date().toISOString(),
      command: options.command ?? `npm run bench --${quick ? ' --quick' : ''}${options.events ? ` --events ${events}` : ''}`,
      options: { events, quick }, durationMs: Math.round(performance.now() - t0), load: { start: loadStart, end: loadNow() },
      dataset: !dataset ? {} : {
        events: dataset.events, eventBytes: dataset.eventBytes, archivedEvents: dataset.archived.events, archivedSegments: dataset.archived.objects,
        hotSegmentEvents: dataset.hotSegments.events, compactedWindowEvents: dataset.compacted.events, notCompactedWindowEvents: dataset.hot.events,
        buildFilesMs: dataset.buildMs.files, buildIndexMs: dataset.buildMs.index, buildArchiveMs: dataset.buildMs.archive,
      },
      figures, ratioMeaning: RATIO_MEANING,
    };
    const paths = options.only ? [] : writeReport(options.out ?? join(import.meta.dirname, 'results'), report);
    log(`\n${table(figures)}\n\nratio: ${RATIO_MEANING}\n${paths.length ? `written: ${paths.join(', ')}` : '--only: nothing written'}`);
    return { ...report, paths };
  }
}
