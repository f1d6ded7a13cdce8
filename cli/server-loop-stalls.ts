// How long the server's event loop was blocked lately (a synchronous SQLite busy wait, a long validation): a request
// timing out then may have arrived whole, unread, and its 408 must not say the client was slow.

/** The event loop's recent stalls, as the 408 answer asks for them. */
export interface LoopStalls {
  /** Milliseconds the loop was blocked within the last `windowMs`, the stall under way (not yet ticked) included. */
  blockedWithin(windowMs: number): number;
  /** Stop watching (the server closes). */
  stop(): void;
}

/** A lag shorter than this is the timer's own jitter or a GC pause, not a stall that could delay reading a request. */
const NOISE_MS = 50;

export interface LoopStallOptions {
  /** How often the loop is asked to run a tick (default 100 ms); a tick late by more than NOISE_MS is a stall. */
  readonly intervalMs?: number;
  /** Epoch ms (tests move it); default Date.now. */
  readonly now?: () => number;
  /** Start the interval timer (default true); tests call `tick` themselves. */
  readonly timer?: boolean;
}

/**
 * Watches the event loop with an unref'd interval timer: each tick late by more than 50 ms records the lag as a stall.
 *
 * @example
 * const stalls = watchLoopStalls();
 * stalls.blockedWithin(60_000); // 41_800: the loop ran nothing for about 42 s of the last minute
 */
export function watchLoopStalls(options: LoopStallOptions = {}): LoopStalls & { tick(): void } {
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  const stalls: { end: number; ms: number }[] = [];
  let last = now();
  const lagAt = (at: number) => Math.max(0, at - last - intervalMs);
  const tick = () => {
    const at = now();
    const lag = lagAt(at);
    if (lag > NOISE_MS) stalls.push({ end: at, ms: lag });
    // Only the last ten minutes are asked about (the request timeout is 60 s by default).
    while (stalls.length > 0 && stalls[0]!.end < at - 600_000) stalls.shift();
    last = at;
  };
  const timer = options.timer === false ? undefined : setInterval(tick, intervalMs).unref();
  return {
    tick,
    blockedWithin(windowMs) {
      const at = now();
      const from = at - windowMs;
      const pending = lagAt(at);
      // A stall counts for the part of it inside the window.
      const past = stalls.reduce((sum, s) => sum + Math.max(0, Math.min(s.ms, s.end - from)), 0);
      return past + (pending > NOISE_MS ? Math.min(pending, windowMs) : 0);
    },
    stop: () => clearInterval(timer),
  };
}
