// Rate-limiting a best-effort background check that every request would otherwise trigger.

/**
 * A hook that runs `check` at once when it last ran over `ms` ago, else once when `ms` have passed; never two at a
 * time, and never more than one waiting. The timer is unref'd: it keeps no stopping server alive.
 */
export function everyFewMoments(ms: number, check: () => Promise<void>): () => Promise<void> {
  let last = -Infinity;
  let pending = false;
  const run = async () => {
    pending = false;
    last = Date.now();
    await check().catch(() => {}); // a report line is best effort: it never fails a request
  };
  return async () => {
    if (pending) return;
    pending = true;
    const wait = last + ms - Date.now();
    if (wait <= 0) void run();
    else setTimeout(() => void run(), wait).unref();
  };
}
