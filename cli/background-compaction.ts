// `--compact-every` and `--compact-after-hours` of `serve` and `run`: the hours that ended that long ago compacted in
// the background while they run, and what each run says on stderr (projections/background-compaction.ts does the work).

import { Option } from 'commander';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import type { BackgroundCompaction } from '../projections/background-compaction.ts';
import { COMPACTION_DEFAULTS } from '../projections/compaction-schedule.ts';
import { LONGEST_TIMER_MS } from '../projections/longest-timer.ts';
import { wholeNumber } from './options.ts';

/** The longest `--compact-every`: 35,791 minutes, the most a timer waits (a longer one ran compactions back to back). */
export const MAX_COMPACT_EVERY_MINUTES = Math.floor(LONGEST_TIMER_MS / 60_000);

/** `--compact-every <minutes>` of `serve` and `run`: how often due hours are compacted in the background. */
export function compactEveryOption(): Option {
  return new Option('--compact-every <minutes>', 'compact hours that ended --compact-after-hours ago in the background every this many minutes (0: never; archive moves stay archive run\'s)').default('60');
}

/** `--compact-after-hours <n>` of `serve`, `run` and `archive run`: when an hour is due for compaction. */
export function compactAfterHoursOption(): Option {
  return new Option('--compact-after-hours <n>', 'compact an hour into segments once it ended this many hours ago (as on AWS)').default(String(COMPACTION_DEFAULTS.afterHours));
}

/**
 * The hours of `--compact-after-hours`: the shared wholeNumber (digits only: Number() read '' and ' ' as 0, so a flag
 * left empty by a script compacted every hour as soon as it ended), else InvalidArgumentError naming the flag.
 */
export function parseCompactAfterHours(text: string): number {
  return wholeNumber('--compact-after-hours', text, 0, 'hours');
}

/**
 * The minutes of `--compact-every` as ms: a whole number from 0 (off) to MAX_COMPACT_EVERY_MINUTES, else
 * InvalidArgumentError naming the flag.
 */
export function parseCompactEvery(text: string): number {
  const minutes = wholeNumber('--compact-every', text, 0, 'minutes');
  if (minutes > MAX_COMPACT_EVERY_MINUTES) {
    throw new InvalidArgumentError('--compact-every', `${text} minutes is longer than a timer can wait (at most ${MAX_COMPACT_EVERY_MINUTES} minutes, about 24 days): give --compact-every ${MAX_COMPACT_EVERY_MINUTES} or less, or 0 to compact only with eventlake archive run`);
  }
  return minutes * 60_000;
}

/** How `serve` and `run` compact in the background (their flags, parsed). */
export interface CompactWhileRunning {
  /** `--compact-every` in ms; 0: never. */
  readonly everyMs: number;
  /** `--compact-after-hours`. */
  readonly afterHours: number;
  /** What the command goes on doing when a run fails, for the stderr line ('serving', 'dispatching'). */
  readonly doing: string;
  /** Delay of the first run, ms (default: see compactInBackground). */
  readonly firstAfterMs?: number;
}

/**
 * Compact due hours of `local` every `everyMs` while it serves or dispatches, saying on stderr what each run compacted
 * and why one failed (`doing` goes on). A data dir opened read-only never compacts. `stop()` it before `local.close()`.
 * Why the imports are here: every command loads this module (through serve.ts), and the read-only mark lives beside SQLite.
 */
export async function compactWhileRunning(local: Pick<LocalEventlake, 'log' | 'index' | 'checkpoints' | 'now' | 'dataDir'>,
  { everyMs, afterHours, doing, firstAfterMs }: CompactWhileRunning): Promise<BackgroundCompaction> {
  if (everyMs === 0) return { stop: async () => {} };
  const [{ isReadOnlyRoot }, { compactInBackground }] = await Promise.all([
    import('../adapters/local/sqlite-private-copy.ts'), import('../projections/background-compaction.ts'),
  ]);
  if (isReadOnlyRoot(local.dataDir)) return { stop: async () => {} };
  return compactInBackground(local, {
    everyMs, compactAfterHours: afterHours, ...(firstAfterMs !== undefined ? { firstAfterMs } : {}),
    compacted: (r) => process.stderr.write(`eventlake: compacted ${r.eventsCompacted} event(s) in ${r.hoursCompacted} hour(s) that ended ${afterHours} h ago or more\n`),
    failed: (error) => {
      const code = 'code' in error ? `${String(error.code)}: ` : '';
      process.stderr.write(`eventlake: background compaction failed, ${doing} on (the next one runs as scheduled; eventlake archive run compacts now): ${code}${error.message}\n`);
    },
  });
}
