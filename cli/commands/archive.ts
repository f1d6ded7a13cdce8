// `eventlake archive run|status`: apply the lifecycle policy (compacting first) and show what sits in which class.
// A run holds the target's archive lease (projections/archive-lease.ts): beside another run it fails at once with
// ARCHIVE_RUN_IN_PROGRESS, and Ctrl-C frees the lease so the next run need not wait for it to expire.

import { Option, type Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { DEFAULT_LIFECYCLE } from '../../domain/ports/archive-tier.ts';
import { SEGMENT_LIMITS } from '../../projections/compaction/segment-limits.ts';
import { runLifecycle, type ClassTotals, type LifecycleReport } from '../../projections/lifecycle.ts';
import { STORAGE_CLASSES, storageByClass, withCurrentRestores } from '../../projections/status.ts';
import { compactAfterHoursOption, parseCompactAfterHours } from '../background-compaction.ts';
import { followUp } from '../follow-up.ts';
import { releaseLeasesOnSignal } from '../lease-signals.ts';
import { globalOptions, readingOptions, wholeNumber, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';
import { commandLine } from './rebuild-rerun.ts';
import { parseTime } from '../time.ts';

interface RunOptions {
  now?: string; glacierAfterDays: string; deepArchiveAfterDays: string; compactAfterHours: string; maxSegmentEvents: string; maxSegmentBytes: string; json?: boolean;
}

/** Registers `archive run [--now T]` (compact hours past --compact-after-hours, transition by age) and `archive status`. */
export function registerArchiveCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  const archive = program.command('archive').description('archive tiers: compact old hours and move them to Glacier / Deep Archive');
  archive
    .command('run')
    .description('compact every hour that ended --compact-after-hours ago, and move hours old enough to GLACIER / DEEP_ARCHIVE')
    .option('--now <time>', 'measure ages from this time (ISO-8601 or epoch seconds; default: now)')
    .addOption(new Option('--glacier-after-days <n>', 'days until GLACIER').default(String(DEFAULT_LIFECYCLE.glacierAfterDays)))
    .addOption(new Option('--deep-archive-after-days <n>', 'days until DEEP_ARCHIVE').default(String(DEFAULT_LIFECYCLE.deepArchiveAfterDays)))
    .addOption(compactAfterHoursOption())
    .addOption(new Option('--max-segment-events <n>', 'most events per segment (a busy hour becomes several; each is held in memory while written)').default(String(SEGMENT_LIMITS.maxSegmentEvents)))
    .addOption(new Option('--max-segment-bytes <n>', 'most bytes per segment').default(String(SEGMENT_LIMITS.maxSegmentBytes)))
    .option('--json', 'the report as one JSON object')
    .action(async (options: RunOptions, command: Command) => {
      const policy = {
        // 0 is a policy too: an hour moves at the first run after its newest event.
        glacierAfterDays: wholeNumber('--glacier-after-days', options.glacierAfterDays, 0, 'days'),
        deepArchiveAfterDays: wholeNumber('--deep-archive-after-days', options.deepArchiveAfterDays, 0, 'days'),
      };
      if (policy.deepArchiveAfterDays < policy.glacierAfterDays) {
        throw new InvalidArgumentError('--deep-archive-after-days', 'must not be less than --glacier-after-days');
      }
      const compactAfterHours = parseCompactAfterHours(options.compactAfterHours);
      const limits = { maxSegmentEvents: wholeNumber('--max-segment-events', options.maxSegmentEvents, 1), maxSegmentBytes: wholeNumber('--max-segment-bytes', options.maxSegmentBytes, 1) };
      const opts = globalOptions(command);
      const local = await open(opts);
      const stopReleasing = releaseLeasesOnSignal(`hours compacted so far are kept and the archive lease freed; run ${followUp(opts)(...commandLine(command))} again to finish`);
      try {
        const now = options.now === undefined ? local.now() : parseTime('--now', options.now) * 1000;
        await local.catchUp();
        const deps = { log: local.log, index: local.index, archive: local.archive, checkpoints: local.checkpoints, dispatchedPosition: () => local.dispatchedPosition(), target: local.target };
        const report = await runLifecycle(deps, { now, policy, compactAfterHours, ...limits });
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ now: new Date(now).toISOString(), policy, compactAfterHours, ...report })}\n`);
          return;
        }
        for (const line of runSummary(report)) process.stdout.write(`${line}\n`);
        printRows(STORAGE_CLASSES.map((c) => ({ class: c, ...moved(report.transitioned[c]), ...report.classes[c] })), false);
      } finally {
        stopReleasing();
        await local.close();
      }
    });
  archive
    .command('status')
    .description('objects, events and bytes per storage class, with restores in progress')
    .option('--json', 'one JSON object per line')
    .action(async (options: { json?: boolean }, command: Command) => {
      const local = await open(readingOptions(command));
      try {
        // The index only: this is how an operator looks at what to restore while dispatch waits on an archived object.
        await (local.catchUpIndex ? local.catchUpIndex() : local.catchUp());
        printRows(storageByClass(await withCurrentRestores(local, await local.index.objects())).map((t) => ({ ...t })), options.json ?? false);
      } finally {
        await local.close();
      }
    });
}

/** The lines `archive run` prints above its table of classes. */
export function runSummary(report: LifecycleReport): string[] {
  const hot = report.hotHoursCompacted > 0 ? ` (${report.hotHoursCompacted} of them not old enough to archive: they stay STANDARD)` : '';
  const lines = [`compacted ${report.eventsCompacted} event(s) in ${report.hoursCompacted} hour(s)${hot}`];
  if (report.hoursUndispatched > 0) lines.push(`left ${report.hoursUndispatched} old hour(s) hot: they hold events not dispatched yet (a later run archives them)`);
  if (report.transitionsLeftToTier > 0) {
    lines.push(`left ${report.transitionsLeftToTier} segment(s) to the bucket's lifecycle rules: this target archives by object age (counted from each segment's compaction), not on request`);
  }
  return lines;
}

function moved(t: ClassTotals): { movedObjects: number; movedEvents: number } {
  return { movedObjects: t.objects, movedEvents: t.events };
}
