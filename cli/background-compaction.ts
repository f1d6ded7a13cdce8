// `--compact-every` of `serve` and `run`: the hours a day old compacted in the background while they run, and what
// each run says on stderr (projections/background-compaction.ts does the work).

import { Option } from 'commander';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import type { BackgroundCompaction } from '../projections/background-compaction.ts';
import { COMPACTION_DEFAULTS } from '../projections/compaction-schedule.ts';

/** `--compact-every <minutes>` of `serve` and `run`: how often hours a day old are compacted in the background. */
export function compactEveryOption(): Option {
  return new Option('--compact-every <minutes>', `compact hours that ended ${COMPACTION_DEFAULTS.afterHours} h ago in the background every this many minutes (0: never; archive moves stay archive run's)`).default('60');
}

/** The minutes of `--compact-every` as ms: a whole number >= 0 (0 = off), else InvalidArgumentError naming the flag. */
export function parseCompactEvery(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('--compact-every', `${text} is not a whole number of minutes: give e.g. --compact-every 60, or 0 to compact only with eventlake archive run`);
  return Number(text) * 60_000;
}

/**
 * Compact due hours of `local` every `everyMs` while it serves or dispatches, saying on stderr what each run compacted
 * and why one failed (`doing` goes on). A data dir opened read-only never compacts. `stop()` it before `local.close()`.
 * Why the imports are here: every command loads this module (through serve.ts), and the read-only mark lives beside SQLite.
 */
export async function compactWhileRunning(local: Pick<LocalEventlake, 'log' | 'index' | 'checkpoints' | 'now' | 'dataDir'>, everyMs: number, doing: string,
  firstAfterMs?: number): Promise<BackgroundCompaction> {
  if (everyMs === 0) return { stop: async () => {} };
  const [{ isReadOnlyRoot }, { compactInBackground }] = await Promise.all([
    import('../adapters/local/sqlite-private-copy.ts'), import('../projections/background-compaction.ts'),
  ]);
  if (isReadOnlyRoot(local.dataDir)) return { stop: async () => {} };
  return compactInBackground(local, {
    everyMs, ...(firstAfterMs !== undefined ? { firstAfterMs } : {}),
    compacted: (r) => process.stderr.write(`eventlake: compacted ${r.eventsCompacted} event(s) in ${r.hoursCompacted} hour(s) that ended ${COMPACTION_DEFAULTS.afterHours} h ago or more\n`),
    failed: (error) => {
      const code = 'code' in error ? `${String(error.code)}: ` : '';
      process.stderr.write(`eventlake: background compaction failed, ${doing} on (the next one runs as scheduled; eventlake archive run compacts now): ${code}${error.message}\n`);
    },
  });
}
