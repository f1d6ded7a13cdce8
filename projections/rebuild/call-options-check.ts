// The checks a coordinator call's restore, poll and batch options pass before anything is locked or written. The CLI
// checks its flags, but library callers reached the work with values that misbehaved far from their cause: a pollMs of
// 0 doubled to 0 and polled storage in a busy loop, a maxPollMs past 2^31-1 ms made every wait 1 ms, a batchSize of 0
// never advanced, restoreDays of 0 or 1.5 went to S3 (or the local archive) and failed there after restores began.

import { InvalidArgumentError } from '../../domain/errors.ts';
import { refuseUnknownKeys } from '../../domain/known-keys.ts';
import { checkPollDelay } from '../longest-timer.ts';
import type { RestoreCallOptions } from './coordinator-rehydration.ts';
import { MAX_REPLAY_BATCH } from './replay.ts';
import { RESTORE_TIERS } from './restore-costs.ts';

/** What a coordinator call may carry of these: RebuildOptions, VerifyCallOptions. */
export interface CheckedCallOptions extends RestoreCallOptions {
  readonly batchSize?: number;
}

/** The keys of RebuildOptions (rebuild, promote) and VerifyCallOptions (verify): a misspelt one was silently ignored. */
export const REBUILD_OPTION_KEYS = ['restoreTier', 'restoreDays', 'batchSize', 'onProgress', 'onBatch', 'poll', 'generation', 'resumeFinished'] as const;
export const VERIFY_OPTION_KEYS = ['snapshotAt', 'snapshotId', 'restoreTier', 'restoreDays', 'poll', 'onBatch'] as const;
const POLL_KEYS = ['pollMs', 'maxPollMs', 'timeoutMs'] as const;

const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function wholeIn(name: string, value: number | undefined, low: number, high: number, example: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    throw new InvalidArgumentError(name, `must be a whole number from ${low} to ${high}, e.g. ${example}; got ${shown(value)}`);
  }
}

/**
 * Throws InvalidArgumentError naming the option (`restoreTier`, `restoreDays`, `batchSize`, `poll.pollMs`,
 * `poll.maxPollMs`, `poll.timeoutMs`) and its accepted values for the first that is out of range; undefined ones are
 * the defaults and pass.
 *
 * @example
 * checkCallOptions({ restoreTier: 'Bulk', restoreDays: 3, poll: { pollMs: 1000, maxPollMs: 60_000 } }); // passes
 */
export function checkCallOptions(options: CheckedCallOptions, keys: readonly string[] = REBUILD_OPTION_KEYS, where = 'the rebuild options'): void {
  refuseUnknownKeys(options, keys, where);
  if (options.poll !== undefined) refuseUnknownKeys(options.poll, POLL_KEYS, where, 'poll.');
  if (options.restoreTier !== undefined && !RESTORE_TIERS.includes(options.restoreTier)) {
    throw new InvalidArgumentError('restoreTier', `must be one of ${RESTORE_TIERS.join(', ')}; got ${shown(options.restoreTier)}`);
  }
  // S3's RestoreObject takes whole days from 1; the upper bound only keeps expiry dates representable.
  wholeIn('restoreDays', options.restoreDays, 1, 36_500, '1 (Deep Archive bulk restores take up to 48 h: 3 or more)');
  wholeIn('batchSize', options.batchSize, 1, MAX_REPLAY_BATCH, '2000 (or leave it out: batches grow while each takes under a second)');
  const poll = options.poll;
  if (poll === undefined) return;
  checkPollDelay('poll.pollMs', poll.pollMs, '1000');
  checkPollDelay('poll.maxPollMs', poll.maxPollMs, '60000');
  if (poll.pollMs !== undefined && poll.maxPollMs !== undefined && poll.maxPollMs < poll.pollMs) {
    throw new InvalidArgumentError('poll.maxPollMs', `must be at least poll.pollMs (${poll.pollMs}), the first wait it doubles up to; got ${poll.maxPollMs}`);
  }
  if (poll.timeoutMs !== undefined && (typeof poll.timeoutMs !== 'number' || !Number.isFinite(poll.timeoutMs) || poll.timeoutMs < 0)) {
    throw new InvalidArgumentError('poll.timeoutMs', `must be ms >= 0 to give up after (leave it out to wait for as long as restores take); got ${shown(poll.timeoutMs)}`);
  }
}
