// `eventlake generations list|promote|drop`: the generations of a projection beside its live one (rebuilds kept
// unpromoted, unfinished ones, retired live ones), promoting a kept one once it verifies, and the explicit drop that
// frees one: no rebuild ever drops a kept one.

import type { Command } from 'commander';
import { respelled } from '../../domain/command-spelling.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { ProjectionRuleError } from '../../domain/projection-errors.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { dropOtherGeneration, liveRules, liveRulesWarning, otherGenerations } from '../../projections/rebuild/generations.ts';
import { rulesFingerprint, upcastersOf } from '../../projections/rebuild/rules-fingerprint.ts';
import { renderPromote, renderVerify } from '../../projections/rebuild/render.ts';
import type { VerifyReport } from '../../projections/rebuild/verify.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import { followUp, type FollowUp } from '../follow-up.ts';
import { generationRow } from '../generation-row.ts';
import { loopTurn } from '../../projections/loop-turn.ts';
import { releaseLeasesOnSignal } from '../lease-signals.ts';
import { knownProjection, readingOptions, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';
import { withUnfinishedFixes } from './generations-promote-refusal.ts';
import { parseAgainst } from './rebuild.ts';
import { withRuleFixes } from './rebuild-rerun.ts';

function projectionNamed(runtime: EventlakeRuntime, name: string): string {
  return knownProjection(runtime.projections, name);
}

function parseGeneration(text: string, next: FollowUp): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('generation', `${text} is not a generation number (${next('generations', 'list')} shows them)`);
  return n;
}

export function registerGenerationsCommand(program: Command, open: (opts: GlobalOptions) => Promise<EventlakeRuntime>): void {
  const generations = program.command('generations').description('projection generations beside the live one: rebuilds kept unpromoted, unfinished, retired; promote a kept one, or drop one to free its storage');
  generations
    .command('list')
    .description('list every generation that is not live, with its state (finished: kept by a rebuild, to verify, promote or drop) and the rules that built it; flags a live generation built with other rules')
    .option('--projection <name>', 'only this projection (default: every projection)')
    .option('--json', 'one JSON object per line')
    .action(async (flags: { projection?: string; json?: boolean }, command: Command) => {
      const opts = readingOptions(command);
      const runtime = await open(opts);
      try {
        const names = flags.projection ? [projectionNamed(runtime, flags.projection)] : runtime.projections.map((p) => p.name);
        const rows: Record<string, unknown>[] = [];
        const warnings: string[] = [];
        const upcasters = upcastersOf(runtime.registry);
        for (const name of names) {
          const running = rulesFingerprint(runtime.projections.find((p) => p.name === name)!, upcasters);
          const others = await otherGenerations(runtime, name, running);
          if (!others) throw new InvalidArgumentError('--target', `this target's projection store cannot list generations; ${followUp(opts)('verify', '--generation', 'N')} still checks one you know`);
          for (const g of others) rows.push(flags.json ? { projection: name, ...g } : generationRow(name, g, true));
          const warning = liveRulesWarning(name, await liveRules(runtime, name, running), followUp(opts));
          if (warning) warnings.push(warning);
        }
        printRows(rows, flags.json ?? false);
        // The live generation is not a row (the listing is of those beside it): it is flagged only when it needs acting on.
        for (const w of warnings) (flags.json ? process.stderr : process.stdout).write(`${flags.json ? 'eventlake: ' : '\n'}${w}\n`);
      } finally {
        await runtime.close();
      }
    });
  generations
    .command('drop')
    .description('drop a generation that is not live, and its data (SQLite rows; on AWS its DynamoDB table); waits for no running rebuild: refused while one runs')
    .argument('<generation>', 'the generation number (eventlake generations list)')
    .requiredOption('--projection <name>', 'the projection it belongs to')
    .option('--json', 'JSON output')
    .action(async (generation: string, flags: { projection: string; json?: boolean }, command: Command) => {
      // A mistyped --data-dir holds no generation to drop: refused rather than made an empty data dir.
      const opts = readingOptions(command);
      const n = parseGeneration(generation, followUp(opts));
      const runtime = await open(opts);
      try {
        const dropped = await dropOtherGeneration(runtime, projectionNamed(runtime, flags.projection), n).catch((error: unknown) => { throw respelled(error, followUp(opts)); });
        if (flags.json) process.stdout.write(`${JSON.stringify(dropped)}\n`);
        else process.stdout.write(`dropped ${dropped.projection} generation ${dropped.generation}${dropped.state ? ` (${dropped.state})` : ''}\n`);
      } finally {
        await runtime.close();
      }
    });
  generations
    .command('promote')
    .description('verify a kept or retired generation (a rollback), then serve reads from it (events it lacks are topped up); refused if a check fails, it is unfinished, an --until view or it was built with other rules than the running code\'s')
    .argument('<generation>', 'the generation number (eventlake generations list: a finished or retired one)')
    .requiredOption('--projection <name>', 'the projection it belongs to')
    .option('--against <refs>', 'verify against these references first: log, snapshot (the newest), live', 'log')
    .option('--json', 'one JSON object per step (verify, promote)')
    .action(async (generation: string, flags: { projection: string; against: string; json?: boolean }, command: Command) => {
      // Nor one to promote (see drop).
      const opts = readingOptions(command);
      const next = followUp(opts);
      const n = parseGeneration(generation, next);
      const against = parseAgainst(flags.against);
      const print = (kind: string, value: unknown, lines: string[]) => process.stdout.write(flags.json ? `${JSON.stringify({ [kind]: value })}\n` : `${lines.join('\n')}\n`);
      const runtime = await open(opts);
      // Ctrl-C while verifying (the fold yields once a chunk) stops before promoting and frees the rebuild lease;
      // once promoting, the top-up may have finished before the signal is seen.
      let interrupted = `generation ${n} is not promoted and stays kept (its lease freed); run the same eventlake generations promote command again to verify and promote it`;
      const stopReleasing = releaseLeasesOnSignal(() => interrupted);
      try {
        await runtime.catchUp();
        const coordinator = new RebuildCoordinator(runtime, runtime.projections);
        const name = projectionNamed(runtime, flags.projection);
        // A rule that throws stops the verification or a top-up: the commands that follow name this promotion and the dlq.
        const spelled = (error: unknown) => (error instanceof ProjectionRuleError ? withRuleFixes(error, command, next) : respelled(error, next));
        if ((await runtime.store.liveGeneration(name)) === n) {
          // Not an error: a re-run after a promotion whose answer was lost (Ctrl-C, a dropped terminal) finds it done;
          // one cut short after its switch (a rule threw in its top-up) has its top-up finished, verified before the switch.
          const done = await coordinator.promote(name, n, []).catch((e: unknown) => { throw spelled(e); });
          print('promote', done, [done.resumed ? `finished the promotion of ${name} generation ${n}: ${done.toppedUp} event(s) that arrived meanwhile topped up` : `${name} generation ${n} is live already: nothing to promote`]);
          return;
        }
        // Refused before verifying: a verification reads the log, restoring archived objects, for nothing.
        const projection = runtime.projections.find((p) => p.name === name)!;
        await coordinator.promotable(name, n).catch(async (error: unknown) => { throw respelled(await withUnfinishedFixes(error, runtime, coordinator, projection, next), next); });
        const checks: VerifyReport[] = [];
        for (const ref of against) checks.push(await coordinator.verify(name, n, ref, { onBatch: loopTurn }).catch((e: unknown) => { throw spelled(e); }));
        for (const c of checks) print('verify', c, renderVerify(c));
        if (checks.some((c) => !c.passed)) {
          process.stderr.write(`eventlake: generation ${n} not promoted: verification failed (the differences above); it stays kept. ` +
            `Drop it (${next('generations', 'drop', String(n), '--projection', name)}) and rebuild (${next('rebuild', '--projection', name, '--from', 'T')}) for a generation to promote\n`);
          process.exitCode = 1;
          return;
        }
        // The last chance for a Ctrl-C during verification to stop the command before it promotes.
        await loopTurn();
        interrupted = `the promotion of generation ${n} may have completed: ${next('status')} shows the live generation; if ${n} is still listed by ${next('generations', 'list')}, run the same command again`;
        const promoted = await coordinator.promote(name, n, checks).catch((e: unknown) => { throw spelled(e); });
        print('promote', promoted, renderPromote(promoted));
      } finally {
        stopReleasing();
        await runtime.close();
      }
    });
}
