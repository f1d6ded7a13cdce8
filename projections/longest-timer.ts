// The longest delay Node's timers keep. setTimeout and setInterval fire after 1 ms instead of any longer one (with a
// TimeoutOverflowWarning), as they do for a negative or NaN delay: a wait taken from an option past it became a busy loop.

import { InvalidArgumentError } from '../domain/errors.ts';

/** 2^31-1 ms (about 24.8 days): the longest delay setTimeout and setInterval honour. */
export const LONGEST_TIMER_MS = 0x7fffffff;

/** Whether Node's timers wait `ms` as asked: a finite number from 0 to LONGEST_TIMER_MS. */
export function isTimerDelay(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= LONGEST_TIMER_MS;
}

/**
 * Throws InvalidArgumentError naming `name` unless `value` is undefined (the default) or ms from 1 to LONGEST_TIMER_MS:
 * for a poll interval, where 0 (which doubles to 0) would ask again and again without a pause.
 */
export function checkPollDelay(name: string, value: number | undefined, example: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !isTimerDelay(value) || value === 0) {
    const got = typeof value === 'string' ? JSON.stringify(value) : String(value);
    throw new InvalidArgumentError(name, `must be ms from 1 to ${LONGEST_TIMER_MS} (about 24 days), the longest a timer waits, e.g. ${example}; got ${got}`);
  }
}
