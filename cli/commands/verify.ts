// `eventlake verify`: check a projection generation (the live one by default) against the log, a snapshot or live.

import type { Command } from 'commander';
import { readOnlyVerification } from '../../adapters/local/read-only-verification.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import { respelled } from '../../domain/command-spelling.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { ProjectionRuleError } from '../../domain/projection-errors.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { renderVerify } from '../../projections/rebuild/render.ts';
import type { VerifyAgainst } from '../../projections/rebuild/verify.ts';
import { followUp, type FollowUp } from '../follow-up.ts';
import { loopTurn } from '../../projections/loop-turn.ts';
import { releaseLeasesOnSignal } from '../lease-signals.ts';
import { readingOptions, type GlobalOptions } from '../options.ts';
import { parseTimeMs } from '../time.ts';
import { refuseReadOnlyRestores } from '../verify-read-only.ts';
import { parseAgainst, parseTier } from './rebuild.ts';
import { withRuleFixes } from './rebuild-rerun.ts';
import { deadLetterNote } from './verify-dead-letters.ts';

interface VerifyFlags {
  projection?: string;
  against: string;
  generation?: string;
  snapshotAt?: string;
  restoreTier: string;
  json?: boolean;
}

/**
 * The one reference of `verify --against`. A list (which `rebuild --against` takes) is refused rather than cut to its
 * first item, and `live` needs `--generation`: the live generation compared with itself proves nothing.
 */
export function parseVerifyAgainst(text: string, generationGiven: boolean): VerifyAgainst {
  const list = parseAgainst(text);
  if (list.length > 1) throw new InvalidArgumentError('--against', `verify takes one reference, got "${text}": run verify once per reference (log, snapshot or live)`);
  const against = list[0]!;
  if (against === 'live' && !generationGiven) {
    throw new InvalidArgumentError('--against', 'live compares another generation with the live one: add --generation N (e.g. a rebuild kept with --no-promote), or verify the live generation against log or snapshot');
  }
  return against;
}

export function registerVerifyCommand(program: Command, open: (opts: GlobalOptions) => Promise<EventlakeRuntime>): void {
  program
    .command('verify')
    .description('compare a projection with a reference account by account; exit 1 and print the differences on a mismatch')
    .option('--projection <name>', 'projection to check (default: every projection)')
    .option('--against <ref>', 'one of: log (a direct fold of the log), snapshot (the newest, or --snapshot-at), live (the live generation; needs --generation)', 'log')
    .option('--generation <n>', 'generation to check (default: the live one)')
    .option('--snapshot-at <T>', 'with --against snapshot: the newest snapshot taken at or before T')
    .option('--restore-tier <tier>', 'tier for archived objects the check must read', 'Standard')
    .option('--json', 'one JSON object per projection')
    .action(async (flags: VerifyFlags, command: Command) => {
      const against = parseVerifyAgainst(flags.against, flags.generation !== undefined);
      const restoreTier = parseTier(flags.restoreTier);
      // `!== undefined`: --snapshot-at "" (an unset variable) silently compared with the newest snapshot instead.
      const snapshotAt = flags.snapshotAt !== undefined ? parseTimeMs('--snapshot-at', flags.snapshotAt) : undefined;
      const generationFlag = flags.generation === undefined ? undefined : Number(flags.generation);
      if (generationFlag !== undefined && !(Number.isInteger(generationFlag) && generationFlag > 0)) {
        throw new InvalidArgumentError('--generation', `${flags.generation} is not a generation number`);
      }
      const opts = readingOptions(command);
      const local = await open(opts);
      // A generation that is not live is verified under the rebuild lease, and the live one's snapshot is read under it
      // (so no prune removes it meanwhile): Ctrl-C frees it rather than leave it to refuse the next rebuild, verify or
      // prune for minutes. The fold yields once a chunk (loopTurn), so the signal is seen mid-way. Read-only, no lease.
      const stopReleasing = releaseLeasesOnSignal('the verification stopped before it finished (it changes no projection; a lease it held is freed); run the same eventlake verify command again to check');
      try {
        await local.catchUp();
        // Read-only: no lease (taking one writes dispatch.db), snapshots read back into the in-memory copy.
        const coordinator = new RebuildCoordinator(readOnlyVerification(local) ?? local, local.projections);
        const names = flags.projection ? [coordinator.projection(flags.projection).name] : local.projections.map((p) => p.name);
        if (against === 'log') await refuseReadOnlyRestores(local);
        let failed = false;
        for (const name of names) {
          const generation = generationFlag ?? (await local.store.liveGeneration(name));
          const report = await coordinator.verify(name, generation, against, { restoreTier, onBatch: loopTurn, ...(snapshotAt !== undefined ? { snapshotAt } : {}) })
            .catch((error: unknown) => { throw asCliFix(error, command, followUp(opts)); });
          failed ||= !report.passed;
          const dead = await deadLetterNote(local, report, followUp(opts));
          const shown = dead ? { ...report, deadLetters: dead } : report;
          process.stdout.write(flags.json ? `${JSON.stringify(shown)}\n` : `${[...renderVerify(report), ...(dead ? [`  note: ${dead.note}`] : [])].join('\n')}\n`);
        }
        if (failed) process.exitCode = 1;
      } finally {
        stopReleasing();
        await local.close();
      }
    });
}

/** The API options a verification refuses, by the CLI option a user typed for each. */
const CLI_OPTIONS: Record<string, string> = { snapshotAt: '--snapshot-at', against: '--against' };

/**
 * A verification's error in the CLI's words: the commands it names spelled as this command was run (a rule's failure
 * ends with this verify and the dlq commands), a refusal of an API option with the option a user typed
 * (`--snapshot-at`, not `snapshotAt`).
 */
function asCliFix(failure: unknown, command: Command, next: FollowUp): unknown {
  if (failure instanceof ProjectionRuleError) return withRuleFixes(failure, command, next);
  const error = respelled(failure, next);
  const option = error instanceof InvalidArgumentError ? CLI_OPTIONS[error.argument] : undefined;
  if (option === undefined) return error;
  return new InvalidArgumentError(option, (error as Error).message.slice(`${(error as InvalidArgumentError).argument}: `.length));
}
