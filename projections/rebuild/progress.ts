// Progress of a rebuild's phases: a bar with rate and ETA on a terminal, one JSON line per update otherwise.

/** One progress update of a phase. */
export interface ProgressEvent {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly unit: string;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** Where progress goes: a stream with `write` (process.stderr, or a test's collector). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressOptions {
  /** Force the bar (true) or JSON lines (false); default: the stream's `isTTY`. */
  readonly tty?: boolean;
  /** Monotonic ms. */
  readonly clock?: () => number;
  /** Fewest ms between two updates of one phase (the first and the last are always shown). Default 200. */
  readonly minIntervalMs?: number;
  readonly width?: number;
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * A listener that renders progress to `stream`.
 *
 * @example
 * const progress = createProgress(process.stderr);
 * await coordinator.rebuild(plan, { onProgress: progress });
 */
export function createProgress(stream: ProgressStream, options: ProgressOptions = {}): ProgressListener {
  const tty = options.tty ?? stream.isTTY === true;
  const clock = options.clock ?? (() => performance.now());
  const minInterval = options.minIntervalMs ?? 200;
  const width = options.width ?? 30;
  const phases = new Map<string, { started: number; shown: number; ended: boolean }>();
  return (event) => {
    const now = clock();
    let state = phases.get(event.phase);
    if (!state) {
      state = { started: now, shown: -Infinity, ended: false };
      phases.set(event.phase, state);
    }
    const last = event.done >= event.total;
    if (state.ended || (!last && now - state.shown < minInterval)) return;
    state.shown = now;
    state.ended = last;
    const elapsed = Math.max(now - state.started, 1);
    const rate = (event.done / elapsed) * 1000;
    const etaMs = rate > 0 ? ((event.total - event.done) / rate) * 1000 : undefined;
    if (!tty) {
      stream.write(`${JSON.stringify({ phase: event.phase, done: event.done, total: event.total, unit: event.unit, rate: Math.round(rate), etaSeconds: etaMs === undefined ? null : Math.round(etaMs / 1000) })}\n`);
      return;
    }
    const fraction = event.total > 0 ? Math.min(event.done / event.total, 1) : 1;
    const filled = Math.round(fraction * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    const eta = last ? `in ${seconds(elapsed)}` : `ETA ${etaMs === undefined ? '?' : seconds(etaMs)}`;
    const text = `${event.phase.padEnd(10)} [${bar}] ${String(Math.round(fraction * 100)).padStart(3)}% ${event.done}/${event.total} ${event.unit}  ${Math.round(rate)}/s  ${eta}`;
    stream.write(`\r${text}\x1b[K${last ? '\n' : ''}`);
  };
}

/** Calls every listener given (skipping undefined ones). */
export function fanOut(...listeners: (ProgressListener | undefined)[]): ProgressListener {
  return (event) => {
    for (const l of listeners) l?.(event);
  };
}
