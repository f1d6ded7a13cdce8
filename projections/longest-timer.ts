// The longest delay Node's timers keep. setTimeout and setInterval fire after 1 ms instead of any longer one (with a
// TimeoutOverflowWarning), as they do for a negative or NaN delay: a wait taken from an option past it became a busy loop.

/** 2^31-1 ms (about 24.8 days): the longest delay setTimeout and setInterval honour. */
export const LONGEST_TIMER_MS = 0x7fffffff;

/** Whether Node's timers wait `ms` as asked: a finite number from 0 to LONGEST_TIMER_MS. */
export function isTimerDelay(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= LONGEST_TIMER_MS;
}
