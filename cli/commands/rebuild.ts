// `eventlake rebuild`: plan → rebuild (blue/green) → verify → promote one projection, or only show the plan (--dry-run);
// here, or with --remote in the deployed stack's rebuild function.

import type { Command } from 'commander';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import { respelled } from '../../domain/command-spelling.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { RestoreTier } from '../../domain/ports/storage.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { createProgress } from '../../projections/rebuild/progress.ts';
import { renderPlan, renderPromote, renderRebuild, renderVerify } from '../../projections/rebuild/render.ts';
import { RebuildSnapshotGoneError } from '../../projections/rebuild/snapshot-errors.ts';
import type { VerifyAgainst, VerifyReport } from '../../projections/rebuild/verify.ts';
import { loopTurn } from '../../projections/loop-turn.ts';
import { releaseLeasesOnSignal } from '../lease-signals.ts';
import { globalOptions, readingOptions, type GlobalOptions } from '../options.ts';
import { openRebuildFunction, type RebuildFunction } from '../target.ts';
import { parseTime, parseTimeMs } from '../time.ts';
import { checkRemoteFlags, parsePollInterval, runRemoteRebuild } from './rebuild-remote.ts';
import { followUp, type FollowUp } from '../follow-up.ts';
import { keptHint, spelledPlan } from './rebuild-remote-render.ts';
import { withRerun } from './rebuild-rerun.ts';

const TIERS: readonly RestoreTier[] = ['Expedited', 'Standard', 'Bulk'];
const REFERENCES: readonly VerifyAgainst[] = ['log', 'snapshot', 'live'];

interface RebuildFlags {
  projection: string;
  from: string;
  until?: string;
  dryRun?: boolean;
  restoreTier: string;
  restoreDays: string;
  against: string;
  promote: boolean;
  json?: boolean;
  remote?: boolean;
  wait?: boolean;
  pollInterval: string;
}

/**
 * `--from`: `0` (empty projection), `now`, ISO-8601 or epoch seconds; returned as epoch ms, an ISO time's milliseconds
 * kept: it chooses a snapshot (stamped in ms), so the takenAt that `eventlake snapshot list` prints chooses that one.
 */
export function parseFrom(text: string): number {
  if (text.trim() === '0') return 0;
  if (text.trim() === 'now') return Date.now();
  return parseTimeMs('--from', text);
}

/** `--until`: ISO-8601 or epoch seconds, as epoch ms of a whole second; 0 (the log's start) would replay no event. */
export function parseUntil(text: string): number {
  const until = parseTime('--until', text) * 1000;
  if (until === 0) throw new InvalidArgumentError('--until', `${text} is 1970-01-01T00:00:00Z, the log's start: no event is before it, so the view would be empty; give a later time`);
  return until;
}

export function parseTier(text: string): RestoreTier {
  const tier = TIERS.find((t) => t.toLowerCase() === text.toLowerCase());
  if (!tier) throw new InvalidArgumentError('--restore-tier', `"${text}" is not one of ${TIERS.join(', ')}`);
  return tier;
}

export function parseAgainst(text: string): VerifyAgainst[] {
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((a) => !REFERENCES.includes(a as VerifyAgainst));
  if (list.length === 0 || bad.length > 0) throw new InvalidArgumentError('--against', `"${text}" is not a list of ${REFERENCES.join(', ')}`);
  return list as VerifyAgainst[];
}

/**
 * What an interrupted verification keeps: the generation is finished, so a rerun takes it over (verifying it again)
 * only when it promotes; a --no-promote one can still be promoted by hand, an --until view never.
 */
function verifyInterrupted(projection: string, generation: number, takenOver: boolean, promotable: boolean, command: FollowUp): string {
  const next = takenOver ? 'run the same eventlake rebuild command again to verify and promote it (it takes the generation over and replays only the events that arrived since) ' : '';
  return `generation ${generation} is finished and kept, not promoted, and its lease freed; ${next}${keptHint(projection, generation, promotable, command)}`;
}

/** `openRemote` opens the stack's rebuild function for --remote (default: from the target's config, see openRebuildFunction). */
export function registerRebuildCommand(
  program: Command,
  open: (opts: GlobalOptions) => Promise<EventlakeRuntime>,
  openRemote: (opts: GlobalOptions) => Promise<RebuildFunction> = (opts) => openRebuildFunction(opts),
): void {
  program
    .command('rebuild')
    .description('rebuild a projection from a snapshot and the log (hot and archived), verify it, then promote it')
    .requiredOption('--projection <name>', 'projection to rebuild (balances, statement, ...)')
    .requiredOption('--from <T>', 'point in the projection\'s history (wall clock): the snapshot at or before T; 0 = empty')
    .option('--until <T>', 'replay only events with EventTimeStamp before T (a historical view: verified, never promoted)')
    .option('--dry-run', 'print the plan (replay set per tier, restores, cost and time per restore tier); write nothing')
    .option('--restore-tier <tier>', 'Expedited | Standard | Bulk (Deep Archive uses Standard for Expedited)', 'Standard')
    .option('--restore-days <n>', 'days restored copies stay readable', '1')
    .option('--against <refs>', 'verify against these references before promoting: log, snapshot (the last one at or before --from; the newest with --from 0), live', 'log')
    .option('--no-promote', 'stop after verification; the live generation stays')
    .option('--json', 'one JSON object per step (plan, rebuild, verify, promote) on stdout; progress as JSON lines on stderr; with --remote, each report of the function as it is')
    .option('--remote', 'with --target aws: invoke the stack\'s rebuild function (config rebuildFunction / EVENTLAKE_REBUILD_FUNCTION) instead of rebuilding on this machine')
    .option('--wait', 'with --remote: while archived objects are being restored, invoke the function again until it is done')
    .option('--poll-interval <seconds>', 'with --wait: pause between invocations (each one already waits for restores until shortly before its 15-minute timeout)', '300')
    .action(async (flags: RebuildFlags, command: Command) => {
      const from = parseFrom(flags.from);
      // `!== undefined`, not truthiness: --until "" (an unset variable) ran a full rebuild that promotes; parseTime refuses it.
      const until = flags.until !== undefined ? parseUntil(flags.until) : undefined;
      checkRemoteFlags(command, flags.remote === true);
      if (flags.remote) {
        const pollIntervalMs = parsePollInterval(flags.pollInterval);
        const opts = globalOptions(command);
        const fn = await openRemote(opts);
        try {
          const request = { projection: flags.projection, from, ...(until !== undefined ? { until } : {}), dryRun: flags.dryRun === true };
          process.exitCode = await runRemoteRebuild(fn, request, { json: flags.json === true, wait: flags.wait === true, pollIntervalMs, command: followUp(opts) })
            .catch((error: unknown) => { throw withRerun(error, command, followUp(opts)); });
        } finally {
          await fn.close();
        }
        return;
      }
      const restoreTier = parseTier(flags.restoreTier);
      const restoreDays = Number(flags.restoreDays);
      if (!Number.isInteger(restoreDays) || restoreDays < 1) throw new InvalidArgumentError('--restore-days', `${flags.restoreDays} is not a whole number >= 1`);
      const against = parseAgainst(flags.against);
      const print = (kind: string, value: unknown, lines: string[]) =>
        process.stdout.write(flags.json ? `${JSON.stringify({ [kind]: value })}\n` : `${lines.join('\n')}\n`);
      // A dry run only reads: a mistyped --data-dir is refused rather than planned as an empty lake.
      const opts = flags.dryRun ? readingOptions(command) : globalOptions(command);
      const next = followUp(opts);
      const local = await open(opts);
      // Ctrl-C keeps the generation (the next run resumes it) but must not leave the lease to block that run for minutes.
      // What is kept depends on the phase: replaying, an unfinished generation; verifying, a finished one.
      let interrupted = () => 'the unfinished generation is kept and its lease freed; run the same eventlake rebuild command again to resume it from its last checkpoint';
      const stopReleasing = releaseLeasesOnSignal(() => interrupted());
      try {
        await local.catchUp();
        const coordinator = new RebuildCoordinator(local, local.projections);
        // The plan counts what verifying against these references restores, beside what the replay restores.
        const plan = await coordinator.plan({ projection: flags.projection, from, ...(until !== undefined ? { until } : {}), against });
        const shown = spelledPlan(plan, next);
        print('plan', shown, renderPlan(shown));
        if (flags.dryRun) return;
        // A run that promotes may take over a generation of this plan kept earlier (--no-promote): it tops it up.
        const resumeFinished = flags.promote && until === undefined;
        // The replay's SQLite applies and the verification's fold never wait on the event loop, so a Ctrl-C would only
        // be handled after the rebuild promoted (exit 0): one loop turn a batch lets the handler stop it.
        const onBatch = loopTurn;
        const options = { restoreTier, restoreDays, resumeFinished, onBatch, onProgress: createProgress(process.stderr, flags.json ? { tty: false } : {}) };
        // The coordinator names the fix of a pruned planned snapshot ("run the same rebuild again") only in words.
        const built = await coordinator.rebuild(plan, options).catch((error: unknown) => { throw withRerun(error, command, next); });
        print('rebuild', built, renderRebuild(built));
        interrupted = () => verifyInterrupted(plan.projection, built.generation, resumeFinished, until === undefined, next);
        const checks: VerifyReport[] = [];
        // 'snapshot' means the last snapshot before the loss: the one the rebuild started from (the newest with --from 0),
        // by id: picked again by time, a prune since the rebuild released its lease would make it another one.
        const own = plan.snapshot ? { snapshotId: plan.snapshot.id } : {};
        const kept = (error: unknown) => (error instanceof RebuildSnapshotGoneError
          ? error.withNext(`generation ${built.generation} is finished and kept, not promoted ${keptHint(plan.projection, built.generation, until === undefined, next)}`, '--against')
          : error);
        for (const ref of against) checks.push(await coordinator.verify(plan.projection, built.generation, ref, { restoreTier, restoreDays, onBatch, ...own }).catch((e: unknown) => { throw kept(e); }));
        for (const c of checks) print('verify', c, renderVerify(c));
        if (checks.some((c) => !c.passed)) {
          // A later promoting rebuild of this plan takes the finished generation over (resumeFinished) and would fail the same way.
          const continued = until === undefined
            ? `; the next eventlake rebuild of this plan continues generation ${built.generation} rather than starting afresh: drop it first (${next('generations', 'drop', String(built.generation), '--projection', plan.projection)}) for a fresh one`
            : '';
          process.stderr.write(`eventlake: generation ${built.generation} not promoted: verification failed; it is kept for inspection ${keptHint(plan.projection, built.generation, false, next)}${continued}\n`);
          process.exitCode = 1;
          return;
        }
        if (until !== undefined || !flags.promote) {
          if (!flags.json) process.stdout.write(`not promoted: generation ${built.generation} is kept for inspection ${keptHint(plan.projection, built.generation, until === undefined, next)}\n`);
          return;
        }
        // The last chance for a Ctrl-C during verification to stop the command before it promotes.
        await onBatch();
        const promoted = await coordinator.promote(plan.projection, built.generation, checks, options).catch((error: unknown) => { throw respelled(error, next); });
        print('promote', promoted, renderPromote(promoted));
      } finally {
        stopReleasing();
        await local.close();
      }
    });
}
